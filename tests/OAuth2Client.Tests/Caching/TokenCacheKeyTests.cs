using OAuth2Client.Caching;
using OAuth2Client.Grants;
using OAuth2Client.Settings;
using static OAuth2Client.Tests.TestSupport.EndpointTestSupport;

namespace OAuth2Client.Tests.Caching;

public sealed class TokenCacheKeyTests
{
    private const string Grant = ClientCredentialsGrant.GrantType;

    [Fact]
    public void Create_EqualSettings_EqualKey()
    {
        string first = Key(o => { o.Scope = "orders"; o.AdditionalParameters["b"] = "2"; o.AdditionalParameters["a"] = "1"; });
        string second = Key(o => { o.Scope = "orders"; o.AdditionalParameters["a"] = "1"; o.AdditionalParameters["b"] = "2"; });

        Assert.Equal(first, second);
        Assert.StartsWith("oauth2client:token:v2:", first, StringComparison.Ordinal);
        Assert.Matches("^oauth2client:token:v2:[0-9A-F]{64}$", first);
    }

    [Fact]
    public void Create_SettingsThatDoNotChangeTheToken_SameKey()
    {
        // Timings and retries do not change which token the server issues.
        Assert.Equal(Key(), Key(o => { o.MaxTokenRequestRetries = 5; o.RefreshBeforeExpiry = TimeSpan.FromMinutes(2); o.TokenRequestTimeout = TimeSpan.FromSeconds(3); }));
    }

    public static TheoryData<string> Differences => new()
    {
        "endpoint path",
        "endpoint query",
        "endpoint user info",
        "client id",
        "secret",
        "auth style",
        "scope",
        "scope added",
        "parameter value",
        "parameter name",
        "parameter added",
        "second parameter value",
    };

    [Theory]
    [MemberData(nameof(Differences))]
    public void Create_OneInputDiffers_DifferentKey(string difference)
    {
        Action<OAuth2ClientOptions> baseline = o =>
        {
            o.Scope = "orders";
            o.AdditionalParameters["audience"] = "billing";
            o.AdditionalParameters["resource"] = "payroll";
        };
        Action<OAuth2ClientOptions> changed = difference switch
        {
            "endpoint path" => o => o.TokenEndpoint = new Uri("https://idp.example.com/oauth2/token2?tenant=acme-query"),
            "endpoint query" => o => o.TokenEndpoint = new Uri("https://idp.example.com/oauth2/token?tenant=other"),
            "endpoint user info" => o => o.TokenEndpoint = new Uri("https://u:p@idp.example.com/oauth2/token?tenant=acme-query"),
            "client id" => o => o.ClientId = "other-app",
            "secret" => o => o.ClientSecret = ClientSecret + "2",
            "auth style" => o => o.ClientAuthentication = ClientAuthenticationStyle.RequestBody,
            "scope" => o => o.Scope = "orders2",
            "scope added" => o => o.Scope = null,
            "parameter value" => o => o.AdditionalParameters["audience"] = "billing2",
            "parameter name" => o => { o.AdditionalParameters.Remove("audience"); o.AdditionalParameters["audience2"] = "billing"; },
            "parameter added" => o => o.AdditionalParameters["extra"] = "x",
            "second parameter value" => o => o.AdditionalParameters["resource"] = "payroll2",
            _ => throw new ArgumentOutOfRangeException(nameof(difference)),
        };

        string before = Key(baseline);
        string after = Key(o => { baseline(o); changed(o); });

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Create_DifferentGrant_DifferentKey()
    {
        ClientSettings settings = ConfidentialSettings();

        Assert.NotEqual(TokenCacheKey.Create(ClientCredentialsGrant.GrantType, settings), TokenCacheKey.Create(RefreshTokenGrant.GrantType, settings));
    }

    [Fact]
    public void Create_DelimiterInParameterValue_NoCollisionWithTwoParameters()
    {
        string oneParameter = Key(o => o.AdditionalParameters["audience"] = "billing|resource=payroll");
        string twoParameters = Key(o => { o.AdditionalParameters["audience"] = "billing"; o.AdditionalParameters["resource"] = "payroll"; });

        Assert.NotEqual(oneParameter, twoParameters);
    }

    [Fact]
    public void Create_BoundaryMovedBetweenParts_DifferentKey()
    {
        Assert.NotEqual(Key(o => o.AdditionalParameters["ab"] = "c"), Key(o => o.AdditionalParameters["a"] = "bc"));
        Assert.NotEqual(Key(o => o.ClientId = "ab", secret: "cdef"), Key(o => o.ClientId = "abc", secret: "def0"));
    }

    [Fact]
    public void Hash_NullAndEmpty_Distinct()
    {
        Assert.NotEqual(TokenCacheKey.Hash([null]), TokenCacheKey.Hash([string.Empty]));
        Assert.NotEqual(TokenCacheKey.Hash(["a", null]), TokenCacheKey.Hash(["a"]));
    }

    [Fact]
    public void Create_Key_HoldsNothingInClear()
    {
        string key = Key(o =>
        {
            o.Scope = "orders.read";
            o.AdditionalParameters["audience"] = "billing-audience-value";
        });

        Assert.DoesNotContain(ClientSecret, key, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientSecretFormEncoded, key, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("billing-audience-value", key, StringComparison.Ordinal);
        Assert.DoesNotContain("audience", key, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-query", key, StringComparison.Ordinal);
        Assert.DoesNotContain("tenant", key, StringComparison.Ordinal);
        Assert.DoesNotContain("idp.example.com", key, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientId, key, StringComparison.Ordinal);
        Assert.DoesNotContain("orders.read", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PerRequestParameters_EachPartChangesKeyAndNullKeepsDefaultKey()
    {
        ClientSettings settings = ConfidentialSettings(configure: o => o.Scope = "orders");
        string[] keys =
        [
            TokenCacheKey.Create(Grant, settings),
            TokenCacheKey.Create(Grant, settings, new OAuth2TokenParameters()),
            TokenCacheKey.Create(Grant, settings, new OAuth2TokenParameters { Scope = "orders" }),
            TokenCacheKey.Create(Grant, settings, new OAuth2TokenParameters { Scope = "reports" }),
            TokenCacheKey.Create(Grant, settings, new OAuth2TokenParameters { Resource = "reports" }),
            TokenCacheKey.Create(Grant, settings, new OAuth2TokenParameters { Audience = "reports" }),
        ];

        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.Equal(TokenCacheKey.Create(Grant, settings, null), keys[0]);
        Assert.Equal(TokenCacheKey.Create(Grant, settings, new OAuth2TokenParameters { Scope = "reports" }), keys[3]);
    }

#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [Fact]
    public void Create_SignedOrCertificateClients_KeyIncludesPublicKeyOrCertificateButSecretClientsKeepTheirKey()
    {
        using var rsa1 = System.Security.Cryptography.RSA.Create(2048);
        using var rsa2 = System.Security.Cryptography.RSA.Create(2048);
        using var certificate1 = OAuth2Client.Tests.TestSupport.TestCertificates.SelfSigned(rsa1);
        using var certificate2 = OAuth2Client.Tests.TestSupport.TestCertificates.SelfSigned(rsa2);
        string Signed(System.Security.Cryptography.RSA key) => Key(o => { o.ClientSecret = null; o.ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt; o.SigningKeyPem = key.ExportPkcs8PrivateKeyPem(); });
        string Mtls(System.Security.Cryptography.X509Certificates.X509Certificate2 c) => Key(o => { o.ClientSecret = null; o.ClientAuthentication = ClientAuthenticationStyle.TlsClientCertificate; o.ClientCertificate = c; });

        Assert.Equal(Signed(rsa1), Signed(rsa1));
        Assert.NotEqual(Signed(rsa1), Signed(rsa2));
        Assert.NotEqual(Mtls(certificate1), Mtls(certificate2));
        Assert.Equal(Key(), Key(o => o.MaxTokenParameterSets = 3));
    }
#endif

    private static string Key(Action<OAuth2ClientOptions>? configure = null, string? secret = null)
        => TokenCacheKey.Create(Grant, ConfidentialSettings(configure: o =>
        {
            if (secret is not null)
            {
                o.ClientSecret = secret;
            }

            configure?.Invoke(o);
        }));
}
