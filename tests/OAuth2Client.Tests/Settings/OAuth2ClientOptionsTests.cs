using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Settings;

public sealed class OAuth2ClientOptionsTests
{
    [Fact]
    public void ToString_HidesSecretAndQuery()
    {
        var options = new OAuth2ClientOptions
        {
            TokenEndpoint = new Uri("https://user:pw@idp.example.com/oauth2/token?key=abc"),
            ClientId = "app",
            ClientSecret = Harness.ClientSecret,
        };

        string text = options.ToString();

        Assert.Equal("OAuth2ClientOptions { Profile = Rfc6749, TokenEndpoint = https://idp.example.com/oauth2/token, ClientId = app, ClientSecret = (set), Scope = (none) }", text);
    }

    [Fact]
    public void DebuggerDisplay_UsesRedactedToString()
    {
        var attribute = (System.Diagnostics.DebuggerDisplayAttribute)Attribute.GetCustomAttribute(typeof(OAuth2ClientOptions), typeof(System.Diagnostics.DebuggerDisplayAttribute))!;
        Assert.Equal("{ToString(),nq}", attribute.Value);
        var browsable = (System.Diagnostics.DebuggerBrowsableAttribute?)Attribute.GetCustomAttribute(typeof(OAuth2ClientOptions).GetProperty(nameof(OAuth2ClientOptions.ClientSecret))!, typeof(System.Diagnostics.DebuggerBrowsableAttribute));
        Assert.Equal(System.Diagnostics.DebuggerBrowsableState.Never, browsable?.State);
    }

    [Theory]
    [InlineData("http://idp.example.com/token", false, "uses plain http on a host that is not loopback")]
    [InlineData("http://127.0.0.1:8080/token", false, null)]
    [InlineData("http://localhost/token", false, null)]
    [InlineData("http://idp.example.com/token", true, null)]
    [InlineData("ftp://idp.example.com/token", false, "must use https")]
    public void Validate_TokenEndpointScheme(string endpoint, bool allowInsecure, string? expectedError)
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri(endpoint), ClientId = "a", ClientSecret = "b", AllowInsecureHttp = allowInsecure };

        IReadOnlyList<string> errors = OAuth2ClientOptionsValidator.ClientCredentials.Validate(options);

        if (expectedError is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.Contains(expectedError, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_ReservedAdditionalParameter_Rejected()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("https://x/token"), ClientId = "a", ClientSecret = "b" };
        options.AdditionalParameters["client_secret"] = "oops";

        Assert.Contains(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options), e => e.Contains("must not contain 'client_secret'", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        var options = new OAuth2ClientOptions();

        Assert.Equal(TimeSpan.FromSeconds(60), options.RefreshBeforeExpiry);
        Assert.Equal(2, options.MaxTokenRequestRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TokenRequestTimeout);
        Assert.Same(TokenEndpointProfile.Rfc6749, options.Profile);
        Assert.Equal(ClientAuthenticationStyle.BasicHeader, options.Profile.ClientAuthentication);
    }
}
