using System.Net;
using System.Text;
using System.Text.Json;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Profiles;

/// <summary>Oracle ORDS (seed 003): lower-case bearer, string or number expires_in, bare 401 on failure.</summary>
public sealed class OrdsProfileTests
{
    private static Task<Harness> StartAsync(TokenEndpointBehavior? behavior = null, Action<OAuth2ClientOptions>? configure = null)
        => Harness.StartVendorAsync(behavior ?? Vendors.Ords, TokenEndpointProfile.Ords, o =>
        {
            o.Schema = "hr";
            configure?.Invoke(o);
        });

    [Fact]
    public async Task ListRows_HappyPath_SpeaksOrdsWireFormat()
    {
        await using Harness h = await StartAsync();

        using JsonDocument rows = JsonDocument.Parse(await h.Api.GetStringAsync("employees/"));

        Assert.Equal(2, rows.RootElement.GetProperty("items").GetArrayLength());
        RecordedRequest token = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("/ords/hr/oauth/token", token.Path);
        Assert.Equal("application/x-www-form-urlencoded", token.ContentType);
        Assert.Equal("grant_type=client_credentials", token.BodyText);
        Assert.Equal(Harness.RawBasicHeader, token.Authorization);
    }

    [Fact]
    public async Task LowerCaseBearer_AcceptedAndSentAsBearer()
    {
        await using Harness h = await StartAsync();

        await h.Api.GetStringAsync("employees/");
        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.Equal("bearer", token.TokenType);
        Assert.StartsWith("Bearer ", h.Server.ApiRequests[0].Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiresInAsString_Accepted()
    {
        await using Harness h = await StartAsync(Vendors.Ords with { ExpiresInAsString = true });
        h.Server.TokenLifetimeSeconds = 1800;

        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.Equal(h.Time.GetUtcNow().AddSeconds(1800), token.ExpiresAt);
    }

    [Fact]
    public async Task WrongSecret_Bare401BecomesTypedExceptionWithClearMessage()
    {
        await using Harness h = await StartAsync(configure: o => o.ClientSecret = "wrong");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Api.GetStringAsync("employees/"));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Null(ex.Error);
        Assert.Contains("/ords/hr/oauth/token answered HTTP 401 (Unauthorized) with no error details: the client id or secret is probably wrong", ex.Message, StringComparison.Ordinal);
        h.AssertNoSecrets(ex.ToString());
    }

    [Fact]
    public async Task FormEncodedBasic_RefusedByOrds()
    {
        await using Harness h = await StartAsync(configure: o => o.ClientAuthentication = ClientAuthenticationStyle.BasicHeader);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public async Task ApiAnswers401_RenewsAndRetries()
    {
        await using Harness h = await StartAsync();
        await h.Api.GetStringAsync("employees/");
        h.Server.RevokeAllTokens();

        string rows = await h.Api.GetStringAsync("employees/");

        Assert.Contains("SMITH", rows, StringComparison.Ordinal);
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Fact]
    public void MissingSchema_FailsValidationWithFix()
    {
        var options = new OAuth2ClientOptions { Profile = TokenEndpointProfile.Ords, ServerAddress = new Uri("https://db.example.com"), ClientId = "a", ClientSecret = "b" };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => new ClientCredentialsTokenProvider(options));

        Assert.Contains("Schema is required by the 'Ords' profile", ex.Message, StringComparison.Ordinal);
    }
}
