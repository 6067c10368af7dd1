using System.Text.Json;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.ClientAuthentication;

/// <summary>client_secret_jwt (HS256 keyed with the client secret) against <see cref="VerifyingTokenServer"/>.</summary>
public sealed class ClientSecretJwtTests
{
    private const string LongSecret = "a-client-secret-of-at-least-32-bytes+/=";

    [Fact]
    public async Task GetTokenAsync_Hs256Assertion_VerifiedAndSecretNeverSent()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = LongSecret, Algorithm = "HS256" });
        using var provider = new ClientCredentialsTokenProvider(Options(server.TokenEndpoint, LongSecret), timeProvider: TestClock.Create());

        await provider.GetTokenAsync();
        await provider.RenewTokenAsync(null);

        Assert.Equal(2, server.Issued);
        foreach (VerifyingTokenServer.Received request in server.Requests)
        {
            Assert.Null(request.Authorization);
            Assert.DoesNotContain(request.Form, f => f.Value.Contains(LongSecret, StringComparison.Ordinal) || f.Value.Contains(Uri.EscapeDataString(LongSecret), StringComparison.Ordinal));
            JsonElement header = VerifyingTokenServer.HeaderOf(request.Form["client_assertion"]);
            Assert.Equal("HS256", header.GetProperty("alg").GetString());
            Assert.False(header.TryGetProperty("kid", out _));
        }

        Assert.NotEqual(server.Requests[0].Jti, server.Requests[1].Jti);
    }

    [Fact]
    public async Task GetTokenAsync_WrongSecret_RefusedWithInvalidClientAndNothingLeaks()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = LongSecret + "-other", Algorithm = "HS256", EchoAssertionInErrors = true });
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        using Microsoft.Extensions.Logging.ILoggerFactory loggerFactory = TestLogs.CreateFactory(logs);
        using var provider = new ClientCredentialsTokenProvider(Options(server.TokenEndpoint, LongSecret), loggerFactory: loggerFactory);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", ex.Error);
        string assertion = server.Requests[0].Form["client_assertion"];
        foreach (string text in new[] { ex.ToString(), logs.AllText(), provider.ToString() })
        {
            Assert.DoesNotContain(assertion, text, StringComparison.Ordinal);
            Assert.DoesNotContain(LongSecret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_SecretShorterThan32Bytes_RefusedWithReason()
    {
        IReadOnlyList<string> errors = OAuth2ClientOptionsValidator.ClientCredentials.Validate(Options(new Uri("https://idp.example.com/token"), "short-secret"));

        string error = Assert.Single(errors);
        Assert.Contains("ClientSecretJwt", error, StringComparison.Ordinal);
        Assert.Contains("at least 32 bytes", error, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", error, StringComparison.Ordinal);
    }

    private static OAuth2ClientOptions Options(Uri endpoint, string secret) => new()
    {
        TokenEndpoint = endpoint,
        ClientId = Harness.ClientId,
        ClientSecret = secret,
        ClientAuthentication = ClientAuthenticationStyle.ClientSecretJwt,
        MaxTokenRequestRetries = 0,
    };
}
