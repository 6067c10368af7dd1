using System.Security.Cryptography;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.ClientAuthentication;

/// <summary>The secret is optional exactly when another method authenticates the client; messages name the method and its needs.</summary>
public sealed class ClientAuthenticationValidationTests
{
    private static readonly Uri Endpoint = new("https://idp.example.com/oauth2/token");

    [Theory]
    [InlineData(null)]
    [InlineData(ClientAuthenticationStyle.BasicHeader)]
    [InlineData(ClientAuthenticationStyle.BasicHeaderRaw)]
    [InlineData(ClientAuthenticationStyle.RequestBody)]
    [InlineData(ClientAuthenticationStyle.ClientSecretJwt)]
    public void Validate_SecretStyleWithoutSecret_SecretRequiredAndAlternativesNamed(ClientAuthenticationStyle? style)
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = style };

        IReadOnlyList<string> errors = OAuth2ClientOptionsValidator.ClientCredentials.Validate(options);

        Assert.Contains(errors, e => e.StartsWith("ClientSecret is required", StringComparison.Ordinal) && e.Contains((style ?? ClientAuthenticationStyle.BasicHeader).ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_ClientSecretJwtWithoutSecret_OneMessagePerGrant()
    {
        var options = new OAuth2ClientOptions
        {
            TokenEndpoint = Endpoint,
            AuthorizationEndpoint = new Uri("https://idp.example.com/oauth2/authorize"),
            ClientId = "app",
            ClientAuthentication = ClientAuthenticationStyle.ClientSecretJwt,
        };

        string clientCredentials = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));
        string authorizationCode = Assert.Single(OAuth2ClientOptionsValidator.AuthorizationCode.Validate(options));

        Assert.StartsWith("ClientSecret is required for the client-credentials grant with ClientAuthentication ClientSecretJwt", clientCredentials, StringComparison.Ordinal);
        Assert.StartsWith("ClientSecret is required by ClientAuthentication ClientSecretJwt", authorizationCode, StringComparison.Ordinal);
    }

#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Fact]
    public void Validate_PrivateKeyJwtWithKeyAndNoSecret_Valid()
    {
        using RSA rsa = TestCertificates.NewRsa();
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyPem = rsa.ExportPkcs8PrivateKeyPem() };

        Assert.Empty(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));
    }
#endif

    [Fact]
    public void Validate_TlsClientCertificateWithoutSecret_Valid()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.TlsClientCertificate };

        Assert.Empty(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));
    }

    [Fact]
    public void Validate_PrivateKeyJwtWithoutKey_NamesEveryKeyOption()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt };

        string error = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));

        Assert.Contains("ClientAuthentication is PrivateKeyJwt", error, StringComparison.Ordinal);
        foreach (string option in new[] { "SigningCertificate", "SigningKeyFile", "SigningKeyPem", "SigningKeyJwk", "ClientAssertionProvider" })
        {
            Assert.Contains(option, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_TwoKeys_KeepOne()
    {
        using RSA rsa = TestCertificates.NewRsa();
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyPem = rsa.ExportPkcs8PrivateKeyPem(), SigningKeyFile = "/nowhere/key.pem" };

        string error = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));

        Assert.Contains("SigningKeyFile, SigningKeyPem are all set: keep one", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MissingKeyFile_NamesFileAndReason()
    {
        string path = Path.Combine(Path.GetTempPath(), "oauth2client-missing-" + Guid.NewGuid().ToString("N") + ".pem");
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyFile = path };

        string error = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));

        Assert.StartsWith($"SigningKeyFile '{path}' cannot be used for ClientAuthentication PrivateKeyJwt: FileNotFoundException", error, StringComparison.Ordinal);
    }

#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Theory]
    [InlineData(true, "RS256", "an ECDSA key signs ES256, not RS256")]
    [InlineData(false, "ES256", "an RSA key signs RS256 or PS256, not ES256")]
    [InlineData(false, "HS256", "not supported for PrivateKeyJwt")]
    public void Validate_AlgorithmDoesNotFitKey_Refused(bool ecdsaKey, string configured, string expected)
    {
        using AsymmetricAlgorithm key = ecdsaKey ? TestCertificates.NewEcdsa() : TestCertificates.NewRsa();
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyPem = key.ExportPkcs8PrivateKeyPem(), SigningAlgorithm = configured };

        string error = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
#endif

#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Fact]
    public void Validate_ShortRsaKey_Refused()
    {
        using var rsa = RSA.Create(1024);
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyPem = rsa.ExportPkcs8PrivateKeyPem() };

        Assert.Contains("at least 2048", Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options)), StringComparison.Ordinal);
    }
#endif

    [Fact]
    public void Validate_GarbageKeyMaterial_ErrorQuotesNoneOfIt()
    {
        const string garbage = "-----BEGIN PRIVATE KEY-----\nTm90QUtleUF0QWxsQnV0U2VjcmV0TG9va2luZw==\n-----END PRIVATE KEY-----";
        const string jwk = "{\"kty\":\"RSA\",\"n\":\"c2VjcmV0LW4\",\"e\":\"AQAB\",\"d\":\"c2VjcmV0LWQ\"}";
        var pemOptions = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyPem = garbage };
        var jwkOptions = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyJwk = jwk };

        string pemError = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(pemOptions));
        string jwkError = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(jwkOptions));

        Assert.StartsWith("SigningKeyPem cannot be used", pemError, StringComparison.Ordinal);
        Assert.DoesNotContain("Tm90QUtleUF0", pemError, StringComparison.Ordinal);
        Assert.Equal("SigningKeyJwk cannot be used for ClientAuthentication PrivateKeyJwt: the JWK has no 'p' (a private key needs it).", jwkError);
        Assert.DoesNotContain("c2VjcmV0", pemOptions.ToString() + jwkOptions.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeySetButStyleNotPrivateKeyJwt_SaysHowToUseIt()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientSecret = "s", SigningKeyFile = "/keys/client.pem" };

        string error = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));

        Assert.Equal("SigningKeyFile is set, but ClientAuthentication is BasicHeader, which does not use a signing key: set ClientAuthentication to PrivateKeyJwt, or remove it.", error);
    }

#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Theory]
    [InlineData(ClientAuthenticationStyle.PrivateKeyJwt)]
    [InlineData(ClientAuthenticationStyle.ClientSecretJwt)]
    public void Validate_AssertionWithJsonBodyProfile_RefusedNamingProfile(ClientAuthenticationStyle style)
    {
        using RSA rsa = TestCertificates.NewRsa();
        var options = new OAuth2ClientOptions
        {
            Profile = TokenEndpointProfile.WebMethodsApiGateway,
            ServerAddress = new Uri("https://gateway.example.com"),
            ClientId = "app",
            ClientSecret = new string('s', 32),
            ClientAuthentication = style,
            SigningKeyPem = style == ClientAuthenticationStyle.PrivateKeyJwt ? rsa.ExportPkcs8PrivateKeyPem() : null,
        };

        string error = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));

        Assert.Contains("the request body is JSON (the 'WebMethodsApiGateway' profile or RequestFormat)", error, StringComparison.Ordinal);
    }
#endif

#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Fact]
    public void Validate_AssertionLifetimeOutOfRange_Refused()
    {
        using RSA rsa = TestCertificates.NewRsa();
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyPem = rsa.ExportPkcs8PrivateKeyPem(), ClientAssertionLifetime = TimeSpan.FromHours(2) };

        Assert.StartsWith("ClientAssertionLifetime must be between", Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options)), StringComparison.Ordinal);
    }
#endif

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void Validate_MaxTokenParameterSetsOutOfRange_Refused(int value)
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientSecret = "s", MaxTokenParameterSets = value };

        Assert.StartsWith("MaxTokenParameterSets must be between 0 and 1000", Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(OAuth2ClientOptions.SigningKeyPem))]
    [InlineData(nameof(OAuth2ClientOptions.SigningKeyJwk))]
    public void KeyMaterialOptions_HiddenFromDebugger(string option)
    {
        var browsable = (System.Diagnostics.DebuggerBrowsableAttribute?)Attribute.GetCustomAttribute(typeof(OAuth2ClientOptions).GetProperty(option)!, typeof(System.Diagnostics.DebuggerBrowsableAttribute));

        Assert.Equal(System.Diagnostics.DebuggerBrowsableState.Never, browsable?.State);
    }

    [Fact]
    public void ToString_PrivateKeyJwt_NamesStyleButNoKeyMaterial()
    {
        using RSA rsa = TestCertificates.NewRsa();
        string pem = rsa.ExportPkcs8PrivateKeyPem();
        var options = new OAuth2ClientOptions { TokenEndpoint = Endpoint, ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt, SigningKeyPem = pem };

        string text = options.ToString();

        Assert.Contains("ClientAuthentication = PrivateKeyJwt", text, StringComparison.Ordinal);
        Assert.DoesNotContain(pem.Split('\n')[1], text, StringComparison.Ordinal);
    }
}
