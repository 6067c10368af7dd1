namespace OAuth2Client.Tests;

public sealed class OAuth2TokenTests
{
    [Fact]
    public void ToString_NeverShowsValue()
    {
        var token = new OAuth2Token("eyJhbGciOi.super-secret.sig", DateTimeOffset.UnixEpoch.AddHours(9), "orders", "bearer");

        string text = token.ToString();

        Assert.DoesNotContain("super-secret", text, StringComparison.Ordinal);
        Assert.Equal("bearer token (redacted), expires 1970-01-01T09:00:00.0000000+00:00, scope 'orders'", text);
    }

    [Fact]
    public void AuthorizationHeader_AlwaysBearerScheme_BuiltOnce()
    {
        var token = new OAuth2Token("abc", DateTimeOffset.UnixEpoch, tokenType: "bearer");

        Assert.Equal("Bearer", token.AuthorizationHeader.Scheme);
        Assert.Equal("abc", token.AuthorizationHeader.Parameter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("abc\r\nX-Injected: 1")]
    [InlineData("tök")]
    [InlineData("abc def")]
    public void Constructor_EmptyValue_Throws(string value)
        => Assert.Throws<ArgumentException>(() => new OAuth2Token(value, DateTimeOffset.UnixEpoch));
}
