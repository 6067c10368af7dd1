namespace OAuth2Client.Tests.AuthorizationCode;

/// <summary>Where a signed-in user's refresh token is kept: one key per endpoint (query included), client and scope.</summary>
public sealed class RefreshTokenStoreKeyTests
{
    /// <summary>
    /// Regression: the key ignored the endpoint's query, so two providers for different Azure B2C policies
    /// (<c>?p=…</c>) shared one refresh token, and one that never signed in was handed the other policy's user.
    /// </summary>
    [Fact]
    public void Key_EndpointsDifferingOnlyByQuery_Differ()
    {
        using AuthorizationCodeTokenProvider signUp = Create("https://login.example.com/oauth2/token?p=B2C_1_signup");
        using AuthorizationCodeTokenProvider signIn = Create("https://login.example.com/oauth2/token?p=B2C_1_signin");

        Assert.NotEqual(signUp.RefreshTokenStoreKey, signIn.RefreshTokenStoreKey);
    }

    [Fact]
    public void Key_SameSettings_SameKeyAcrossInstancesAndSecrets()
    {
        using AuthorizationCodeTokenProvider a = Create("https://login.example.com/oauth2/token?p=x", secret: "old-secret");
        using AuthorizationCodeTokenProvider b = Create("https://login.example.com/oauth2/token?p=x", secret: "rotated-secret");

        Assert.Equal(a.RefreshTokenStoreKey, b.RefreshTokenStoreKey); // rotating the secret must not sign users out
    }

    [Fact]
    public void Key_HoldsNoQueryNoSecretNoClientIdInClear()
    {
        using AuthorizationCodeTokenProvider provider = Create("https://login.example.com/oauth2/token?p=B2C_1_signin", secret: "s3cret-value");

        Assert.DoesNotContain("B2C_1_signin", provider.RefreshTokenStoreKey, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", provider.RefreshTokenStoreKey, StringComparison.Ordinal);
        Assert.DoesNotContain("app-id", provider.RefreshTokenStoreKey, StringComparison.Ordinal);
    }

    private static AuthorizationCodeTokenProvider Create(string tokenEndpoint, string? secret = null) => new(new OAuth2ClientOptions
    {
        TokenEndpoint = new Uri(tokenEndpoint),
        AuthorizationEndpoint = new Uri("https://login.example.com/oauth2/authorize"),
        ClientId = "app-id",
        ClientSecret = secret,
        Scope = "openid",
    });
}
