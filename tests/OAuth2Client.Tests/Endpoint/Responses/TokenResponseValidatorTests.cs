using System.Net;
using OAuth2Client.Endpoint;
using OAuth2Client.Endpoint.Responses;
using OAuth2Client.Settings;
using static OAuth2Client.Tests.TestSupport.EndpointTestSupport;

namespace OAuth2Client.Tests.Endpoint.Responses;

public sealed class TokenResponseValidatorTests
{
    private const string Token = "tok-ABCDEF0123456789-secret-token-value";

    private static readonly ClientSettings SettingsForRfc6749 = ConfidentialSettings();
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(7);

    [Theory]
    [InlineData("Bearer", "3600", 3600)]
    [InlineData("bearer", "3600", 3600)]
    [InlineData("BEARER", "120.0", 120)]
    [InlineData("Bearer", " 600 ", 600)]
    [InlineData("Bearer", "3.6e3", 3600)]
    [InlineData("Bearer", "1", 1)]
    [InlineData(null, "60", 60)]
    public void Validate_TolerableFields_TokenExpiresRelativeToSentAt(string? tokenType, string expiresIn, int seconds)
    {
        DateTimeOffset sentAt = DateTimeOffset.UtcNow;

        TokenResponse response = Validate(Fields(("access_token", Token), ("token_type", tokenType), ("expires_in", expiresIn)), sentAt);

        Assert.Equal(Token, response.OAuth2Token.Value);
        Assert.Equal(sentAt.AddSeconds(seconds), response.OAuth2Token.ExpiresAt);
        Assert.Equal(tokenType ?? "Bearer", response.OAuth2Token.TokenType);
        Assert.Equal(sentAt, response.IssuedAt);
    }

    [Theory]
    [InlineData("99999999999999")]
    [InlineData("1e300")]
    [InlineData("1e400")] // beyond a double: +∞
    [InlineData("31622401")] // 366 days and a second
    public void Validate_LifetimeAboveMaximum_ClampedTo366Days(string expiresIn)
    {
        DateTimeOffset sentAt = DateTimeOffset.UtcNow;

        TokenResponse response = Validate(Fields(("access_token", Token), ("expires_in", expiresIn)), sentAt);

        Assert.True(response.LifetimeClamped);
        Assert.Equal(sentAt + TimeSpan.FromDays(366), response.OAuth2Token.ExpiresAt);
    }

    [Fact]
    public void Validate_LifetimeAtMaximum_NotClamped()
    {
        DateTimeOffset sentAt = DateTimeOffset.UtcNow;

        TokenResponse response = Validate(Fields(("access_token", Token), ("expires_in", "31622400")), sentAt);

        Assert.False(response.LifetimeClamped);
        Assert.Equal(sentAt + TimeSpan.FromDays(366), response.OAuth2Token.ExpiresAt);
    }

    [Fact]
    public void Validate_NoExpiresIn_DefaultLifetime()
    {
        DateTimeOffset sentAt = DateTimeOffset.UnixEpoch.AddDays(20_000);

        TokenResponse response = Validate(Fields(("access_token", Token)), sentAt);

        Assert.Equal(sentAt + DefaultLifetime, response.OAuth2Token.ExpiresAt);
    }

    [Fact]
    public void Validate_ScopeAndRefreshToken_TakenFromResponse()
    {
        TokenResponse response = Validate(Fields(("access_token", Token), ("scope", "granted"), ("refresh_token", "rt-1")), DateTimeOffset.UtcNow, requestedScope: "asked");

        Assert.Equal("granted", response.OAuth2Token.Scope);
        Assert.Equal("rt-1", response.RefreshToken);
        Assert.DoesNotContain("rt-1", response.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, response.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoScopeInResponse_RequestedScopeKept()
    {
        TokenResponse response = Validate(Fields(("access_token", Token), ("refresh_token", "  ")), DateTimeOffset.UtcNow, requestedScope: "asked");

        Assert.Equal("asked", response.OAuth2Token.Scope);
        Assert.Null(response.RefreshToken);
    }

    [Theory]
    [InlineData("missing", null, "Bearer", "3600", "it has no access_token")]
    [InlineData("blank", "   ", "Bearer", "3600", "it has no access_token")]
    [InlineData("CRLF", "abc\r\nX-Injected: 1", "Bearer", "60", "cannot be sent in an Authorization header")]
    [InlineData("non-ASCII", "t\u00f6k", "Bearer", "60", "cannot be sent in an Authorization header")]
    [InlineData("space", "abc def", "Bearer", "60", "cannot be sent in an Authorization header")]
    [InlineData("mac", Token, "mac", "3600", "its token_type is 'mac'; only Bearer tokens are supported")]
    [InlineData("negative", Token, "Bearer", "-5", "its expires_in is -5; a token's lifetime must be positive")]
    [InlineData("zero", Token, "Bearer", "0", "its expires_in is 0; a token's lifetime must be positive")]
    [InlineData("words", Token, "Bearer", "one hour", "its expires_in 'one hour' is not a number of seconds")]
    [InlineData("empty", Token, "Bearer", "", "its expires_in '' is not a number of seconds")]
    [InlineData("NaN", Token, "Bearer", "NaN", "its expires_in 'NaN' is not a number of seconds")]
    [InlineData("minus infinity", Token, "Bearer", "-1e400", "its expires_in is -1e400; a token's lifetime must be positive")]
    [InlineData("sub-second", Token, "Bearer", "0.5", "its expires_in is 0.5; a token that lives less than a second cannot be used")]
    public void Validate_UnusableFields_ThrowsInvalidWithProblem(string scenario, string? accessToken, string tokenType, string expiresIn, string expected)
    {
        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(
            () => Validate(Fields(("access_token", accessToken), ("token_type", tokenType), ("expires_in", expiresIn)), DateTimeOffset.UtcNow));

        Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{scenario}: '{ex.Message}' should contain '{expected}'");
        Assert.StartsWith($"The token endpoint {RedactedEndpoint(SettingsForRfc6749)} answered HTTP 200 (OK) but ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Null(ex.Error);
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("acme-query", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AccessTokenWasNotString_SaysSo()
    {
        var fields = new TokenFields { AccessTokenWasNotString = true };

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Validate(fields, DateTimeOffset.UtcNow));

        Assert.Contains("its access_token is not a string", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExpiresInEchoingSecret_SecretQuotedAway()
    {
        var errors = Errors(SettingsForRfc6749, [ClientSecret]);
        TokenFields fields = Fields(("access_token", Token), ("expires_in", "x" + ClientSecret));

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(
            () => TokenResponseValidator.Validate(fields, HttpStatusCode.OK, errors, DefaultLifetime, null, DateTimeOffset.UtcNow));

        Assert.Contains("its expires_in 'x***' is not a number of seconds", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokenTypeWithControlCharacters_Escaped()
    {
        TokenFields fields = Fields(("access_token", Token), ("token_type", "mac\nFAKE LOG LINE"));

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Validate(fields, DateTimeOffset.UtcNow));

        Assert.Contains("its token_type is 'mac\\u000aFAKE LOG LINE'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    private static TokenResponse Validate(TokenFields fields, DateTimeOffset sentAt, string? requestedScope = null)
        => TokenResponseValidator.Validate(fields, HttpStatusCode.OK, Errors(SettingsForRfc6749), DefaultLifetime, requestedScope, sentAt);

    private static TokenFields Fields(params (string Name, string? Value)[] values)
    {
        var fields = new TokenFields();
        foreach ((string name, string? value) in values)
        {
            fields.Set(name, value);
        }

        return fields;
    }
}
