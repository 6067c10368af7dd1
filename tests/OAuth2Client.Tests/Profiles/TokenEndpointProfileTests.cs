using System.ComponentModel;

namespace OAuth2Client.Tests.Profiles;

public sealed class TokenEndpointProfileTests
{
    [Theory]
    [InlineData("https://erp.example.com", "https://erp.example.com/services/oauth2/token.pxp")]
    [InlineData("https://erp.example.com/", "https://erp.example.com/services/oauth2/token.pxp")]
    [InlineData("https://erp.example.com/pxplus/", "https://erp.example.com/pxplus/services/oauth2/token.pxp")]
    [InlineData("https://erp.example.com/pxplus?x=1", "https://erp.example.com/pxplus/services/oauth2/token.pxp")]
    public void BuildTokenEndpoint_KeepsBasePath(string server, string expected)
        => Assert.Equal(expected, TokenEndpointProfile.PxPlus.BuildTokenEndpoint(new Uri(server)).AbsoluteUri);

    [Fact]
    public void BuildTokenEndpoint_Ords_InsertsEscapedSchema()
        => Assert.Equal("https://db.example.com:8443/ords/hr/oauth/token", TokenEndpointProfile.Ords.BuildTokenEndpoint(new Uri("https://db.example.com:8443"), "hr").AbsoluteUri);

    [Fact]
    public void BuildTokenEndpoint_OrdsWithoutSchema_ThrowsWithFix()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => TokenEndpointProfile.Ords.BuildTokenEndpoint(new Uri("https://db.example.com")));
        Assert.Contains("needs a schema", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rfc6749_HasNoPath_ServerAddressAloneFailsValidation()
    {
        var options = new OAuth2ClientOptions { ServerAddress = new Uri("https://idp.example.com"), ClientId = "a", ClientSecret = "b" };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => new ClientCredentialsTokenProvider(options));

        Assert.Contains("has no token path", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PxPlus")]
    [InlineData("centrasite")]
    [InlineData("ORDS")]
    [InlineData("WebMethodsApiGateway")]
    [InlineData("Rfc6749")]
    public void TypeConverter_FromConfigurationName_FindsPreset(string name)
    {
        object? profile = TypeDescriptor.GetConverter(typeof(TokenEndpointProfile)).ConvertFromInvariantString(name);

        Assert.True(TokenEndpointProfile.TryGetPreset(name, out TokenEndpointProfile? expected));
        Assert.Same(expected, profile);
    }

    [Fact]
    public void TypeConverter_UnknownName_FailsValidationListingKnownProfiles()
    {
        var profile = (TokenEndpointProfile)TypeDescriptor.GetConverter(typeof(TokenEndpointProfile)).ConvertFromInvariantString("Sap")!;
        var options = new OAuth2ClientOptions { Profile = profile, ServerAddress = new Uri("https://sap.example.com"), ClientId = "a", ClientSecret = "b" };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => new ClientCredentialsTokenProvider(options));

        Assert.Contains("Profile 'Sap' is not a known profile: use one of Rfc6749, PxPlus, CentraSite, Ords, WebMethodsApiGateway, or build a TokenEndpointProfile in code.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_OverridesOnePartAndLeavesPresetUntouched()
    {
        TokenEndpointProfile custom = TokenEndpointProfile.CentraSite with { ResponseFormat = TokenResponseFormat.Xml };

        Assert.Equal(TokenResponseFormat.Xml, custom.ResponseFormat);
        Assert.Equal(TokenResponseFormat.Auto, TokenEndpointProfile.CentraSite.ResponseFormat);
        Assert.Equal(TokenEndpointProfile.CentraSite.TokenPath, custom.TokenPath);
    }

    [Fact]
    public async Task CustomProfile_ForUnknownServer_Works()
    {
        var profile = new TokenEndpointProfile
        {
            Name = "Acme",
            TokenPath = "api/v2/auth/token",
            ClientAuthentication = ClientAuthenticationStyle.RequestBody,
            RequestFormat = TokenRequestFormat.Json,
        };
        await using var server = await Testing.EmulatedOAuthServer.StartAsync(
            Testing.TokenEndpointBehavior.Rfc6749 with { TokenPath = "/api/v2/auth/token", Body = Testing.RequiredBody.Json, ClientAuth = Testing.AcceptedClientAuth.JsonBody },
            "acme", "acme-secret");
        using var provider = new ClientCredentialsTokenProvider(new OAuth2ClientOptions { Profile = profile, ServerAddress = server.BaseAddress, ClientId = "acme", ClientSecret = "acme-secret" });

        OAuth2Token token = await provider.GetTokenAsync();

        Assert.True(server.IsValid(token.Value));
    }
}
