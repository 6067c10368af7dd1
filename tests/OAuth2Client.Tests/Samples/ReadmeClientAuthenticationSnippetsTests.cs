using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Samples;

/// <summary>
/// The README's client authentication and per-request snippets, verbatim except for the addresses (the verifying
/// loopback server), the key material (made in the test) and an in-memory API handler. If a snippet here changes, change
/// the README too.
/// </summary>
public sealed class ReadmeClientAuthenticationSnippetsTests
{
    [Fact]
    public async Task PrivateKeyJwtCertificateSnippet_TokenVerifiedWithPs256()
    {
        using RSA key = TestCertificates.NewRsa();
        using X509Certificate2 certificate = TestCertificates.SelfSigned(key, "CN=orders-service");
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { ClientId = "orders-service", PublicKey = certificate.GetRSAPublicKey(), Algorithm = "PS256" });
        var apiHandler = new ApiStub();

        using var api = new HttpClient(new BearerTokenHandler(new OAuth2ClientOptions
        {
            TokenEndpoint = server.TokenEndpoint,
            ClientId = "orders-service",
            ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt,
            SigningCertificate = certificate,          // RS256 for an RSA key, ES256 for an ECDSA P-256 key
            SigningAlgorithm = "PS256",                // optional
        }) { InnerHandler = apiHandler }) { BaseAddress = new Uri("https://api.example.com/") };

        using HttpResponseMessage response = await api.GetAsync("orders");

        Assert.Equal(1, server.Issued);
        Assert.Equal("Bearer at-1-default", apiHandler.LastAuthorization);
    }

    [Fact]
    public async Task KmsAssertionProviderSnippet_TokenVerified()
    {
        using RSA kmsKey = TestCertificates.NewRsa();
        var kms = new FakeKms(kmsKey);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = kmsKey, Algorithm = "PS256", KeyId = "kms-key-1" });
        var options = new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = Harness.ClientId };

        options.ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt;
        options.ClientAssertionProvider = new KmsAssertions(kms);
        using var provider = new ClientCredentialsTokenProvider(options);
        await provider.GetTokenAsync();

        Assert.Equal(1, server.Issued);
    }

    [Fact]
    public async Task PerRequestScopeSnippet_TokenForThatScope()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = "readme-secret" });
        var apiHandler = new ApiStub();
        using var api = new HttpClient(new BearerTokenHandler(new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = Harness.ClientId, ClientSecret = "readme-secret" }) { InnerHandler = apiHandler })
        {
            BaseAddress = new Uri("https://api.example.com/"),
        };

        using var request = new HttpRequestMessage(HttpMethod.Get, "reports/today");
        request.SetOAuth2Scope("reports.read");
        using HttpResponseMessage response = await api.SendAsync(request);

        Assert.Equal(1, server.IssuedFor("reports.read"));
        Assert.Equal("Bearer at-1-reports.read", apiHandler.LastAuthorization);
    }

    public interface IMyKms
    {
        Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken);
    }

    public sealed class KmsAssertions(IMyKms kms) : IClientAssertionProvider
    {
        public async ValueTask<string> CreateAssertionAsync(ClientAssertionContext context, CancellationToken cancellationToken)
        {
            string input = context.CreateSigningInput("PS256", keyId: "kms-key-1");  // iss, sub, aud, jti, iat, exp
            byte[] signature = await kms.SignAsync(Encoding.ASCII.GetBytes(input), cancellationToken);
            return ClientAssertionContext.AppendSignature(input, signature);        // ES256: the 64-byte r||s form, not DER
        }
    }

    private sealed class FakeKms(RSA key) : IMyKms
    {
        public Task<byte[]> SignAsync(byte[] data, CancellationToken cancellationToken)
            => Task.FromResult(key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    private sealed class ApiStub : HttpMessageHandler
    {
        public string? LastAuthorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastAuthorization = request.Headers.Authorization?.ToString();
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
