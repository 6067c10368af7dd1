using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.DependencyInjection;

/// <summary>The new client authentication options bind from configuration and are validated when the host starts.</summary>
public sealed class ClientAuthenticationConfigurationTests
{
#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Fact]
    public async Task HostStart_PrivateKeyJwtFromConfiguration_NamedClientGetsVerifiedToken()
    {
        using RSA rsa = TestCertificates.NewRsa();
        string keyFile = Path.Combine(Path.GetTempPath(), "oauth2client-di-" + Guid.NewGuid().ToString("N") + ".pem");
        await File.WriteAllTextAsync(keyFile, rsa.ExportPkcs8PrivateKeyPem());
        try
        {
            await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = rsa, Algorithm = "PS256", Audience = VerifyingTokenServer.Issuer });
            IConfiguration section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TokenEndpoint"] = server.TokenEndpoint.AbsoluteUri,
                ["ClientId"] = Harness.ClientId,
                ["ClientAuthentication"] = "PrivateKeyJwt",
                ["SigningKeyFile"] = keyFile,
                ["SigningAlgorithm"] = "PS256",
                ["ClientAssertionAudience"] = VerifyingTokenServer.Issuer,
                ["ClientAssertionLifetime"] = "00:02:00",
            }).Build();
            HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Services.AddOAuth2ClientCredentials("erp", section);
            using IHost host = builder.Build();

            await host.StartAsync();
            OAuth2Token token = await host.Services.GetRequiredKeyedService<IOAuth2TokenProvider>("erp").GetTokenAsync();
            await host.StopAsync();

            Assert.Equal("at-1-default", token.Value);
            VerifyingTokenServer.Received request = Assert.Single(server.Requests);
            Assert.Equal(120, VerifyingTokenServer.ClaimsOf(request.Form["client_assertion"]).GetProperty("exp").GetInt64() - VerifyingTokenServer.ClaimsOf(request.Form["client_assertion"]).GetProperty("iat").GetInt64());
        }
        finally
        {
            File.Delete(keyFile);
        }
    }
#endif

    [Theory]
    [InlineData("PrivateKeyJwt", null, "OAuth2 client 'erp': ClientAuthentication is PrivateKeyJwt, which signs each token request with the client's private key: set one of SigningCertificate, SigningKeyFile")]
    [InlineData("PrivateKeyJwt", "/nonexistent/oauth2client/key.pem", "OAuth2 client 'erp': SigningKeyFile '/nonexistent/oauth2client/key.pem' cannot be used for ClientAuthentication PrivateKeyJwt")]
    [InlineData("ClientSecretJwt", null, "OAuth2 client 'erp': ClientSecret is required for the client-credentials grant with ClientAuthentication ClientSecretJwt")]
    public async Task HostStart_IncompleteClientAuthentication_FailsNamingMethodAndNeed(string method, string? keyFile, string expected)
    {
        IConfiguration section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenEndpoint"] = "https://idp.example.com/token",
            ["ClientId"] = "app",
            ["ClientAuthentication"] = method,
            ["SigningKeyFile"] = keyFile,
        }).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddOAuth2ClientCredentials("erp", section);
        using IHost host = builder.Build();

        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
