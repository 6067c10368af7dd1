using System.Text.Json;
using System.Text;
using OAuth2Client.Endpoint;
using OAuth2Client.Grants;
using OAuth2Client.Settings;
using static OAuth2Client.Tests.TestSupport.EndpointTestSupport;

namespace OAuth2Client.Tests.Endpoint;

/// <summary>
/// The exact bytes and headers of a token request in each preset's dialect, each client authentication style and for a
/// public client, built without a server.
/// </summary>
public sealed class TokenRequestBuilderTests
{
    private const string Form = "application/x-www-form-urlencoded";
    private const string Json = "application/json";
    private const string AcceptJsonOnly = "application/json";
    private const string AcceptJsonOrXml = "application/json, application/xml; q=0.9";

    private static readonly string RawBasic = Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret));
    private static readonly string Rfc6749Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecretFormEncoded));

    private static readonly ClientCredentialsGrant ClientCredentials = new(sendGrantType: true);
    private static readonly AuthorizationCodeGrant AuthorizationCode = new(Code, RedirectUri, CodeVerifier, ClientId);
    private static readonly RefreshTokenGrant Refresh = new(RefreshToken, ClientId);

    private static readonly Dictionary<string, TokenEndpointProfile> Profiles = new()
    {
        ["Rfc6749"] = TokenEndpointProfile.Rfc6749,
        ["PxPlus"] = TokenEndpointProfile.PxPlus,
        ["CentraSite"] = TokenEndpointProfile.CentraSite,
        ["Ords"] = TokenEndpointProfile.Ords,
        ["WebMethodsApiGateway"] = TokenEndpointProfile.WebMethodsApiGateway,
    };

    public static TheoryData<string, string, string, string, string, string> PresetClientCredentials => new()
    {
        // profile, endpoint, Authorization (Basic value), body, Content-Type, Accept
        { "Rfc6749", "https://idp.example.com/oauth2/token?tenant=acme-query", Rfc6749Basic, "grant_type=client_credentials", Form, AcceptJsonOrXml },
        { "PxPlus", "https://idp.example.com/services/oauth2/token.pxp", RawBasic, "grant_type=client_credentials", Form, AcceptJsonOnly },
        { "CentraSite", "https://idp.example.com/rest/pub.mediator.oauth2.getOAuth2AccessToken", RawBasic, "", Form, AcceptJsonOrXml },
        { "Ords", "https://idp.example.com/ords/hr/oauth/token", RawBasic, "grant_type=client_credentials", Form, AcceptJsonOnly },
        { "WebMethodsApiGateway", "https://idp.example.com/invoke/pub.apigateway.oauth2/getAccessToken", RawBasic, "{\"grant_type\":\"client_credentials\",\"client_id\":\"my-app\"}", Json, AcceptJsonOnly },
    };

    [Theory]
    [MemberData(nameof(PresetClientCredentials))]
    public void Build_PresetClientCredentials_ExactRequestOfTheDialect(string profile, string endpoint, string basic, string body, string contentType, string accept)
    {
        ClientSettings settings = ConfidentialSettings(Profiles[profile]);

        TokenRequest request = Build(settings, ClientCredentialsGrantFor(settings));

        Assert.Equal(new Uri(endpoint), request.Endpoint);
        Assert.Equal("Basic", request.Authorization?.Scheme);
        Assert.Equal(basic, request.Authorization?.Parameter);
        Assert.Equal(body, Encoding.UTF8.GetString(request.Body));
        Assert.Equal(contentType, request.ContentType);
        Assert.Equal(accept, string.Join(", ", request.Accept));
        Assert.True(request.IsRetriable);
    }

    public static TheoryData<string, string, string> PresetAuthorizationCode => new()
    {
        // profile, body, Accept
        { "Rfc6749", "grant_type=authorization_code&code=" + CodeFormEncoded + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&code_verifier=" + CodeVerifier + "&client_id=my-app", AcceptJsonOrXml },
        { "PxPlus", "grant_type=authorization_code&code=" + CodeFormEncoded + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&code_verifier=" + CodeVerifier + "&client_id=my-app", AcceptJsonOnly },
        { "CentraSite", "grant_type=authorization_code&code=" + CodeFormEncoded + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&code_verifier=" + CodeVerifier + "&client_id=my-app", AcceptJsonOrXml },
        { "Ords", "grant_type=authorization_code&code=" + CodeFormEncoded + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&code_verifier=" + CodeVerifier + "&client_id=my-app", AcceptJsonOnly },
        { "WebMethodsApiGateway", "{\"grant_type\":\"authorization_code\",\"code\":\"c0de/with\\u002Bplus=\",\"redirect_uri\":\"http://127.0.0.1:8400/callback\",\"code_verifier\":\"" + CodeVerifier + "\",\"client_id\":\"my-app\"}", AcceptJsonOnly },
    };

    [Theory]
    [MemberData(nameof(PresetAuthorizationCode))]
    public void Build_PresetAuthorizationCode_GrantFieldsInOrderAndNeverRetriable(string profile, string body, string accept)
    {
        ClientSettings settings = ConfidentialSettings(Profiles[profile]);

        TokenRequest request = Build(settings, AuthorizationCode);

        Assert.Equal(body, Encoding.UTF8.GetString(request.Body));
        Assert.Equal(Profiles[profile].RequestFormat == TokenRequestFormat.Json ? Json : Form, request.ContentType);
        Assert.Equal(accept, string.Join(", ", request.Accept));
        Assert.Equal(profile == "Rfc6749" ? Rfc6749Basic : RawBasic, request.Authorization?.Parameter);
        Assert.False(request.IsRetriable);
    }

    [Theory]
    [InlineData("Rfc6749")]
    [InlineData("PxPlus")]
    [InlineData("CentraSite")]
    [InlineData("Ords")]
    [InlineData("WebMethodsApiGateway")]
    public void Build_PresetRefreshToken_GrantTypeRefreshTokenAndClientIdAndNeverRetriable(string profile)
    {
        ClientSettings settings = ConfidentialSettings(Profiles[profile]);

        TokenRequest request = Build(settings, Refresh);

        string expected = settings.RequestFormat == TokenRequestFormat.Json
            ? "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"rt/refresh\\u002Btoken=1\",\"client_id\":\"my-app\"}"
            : "grant_type=refresh_token&refresh_token=" + RefreshTokenFormEncoded + "&client_id=my-app";
        Assert.Equal(expected, Encoding.UTF8.GetString(request.Body));
        Assert.False(request.IsRetriable);
    }

    [Fact]
    public void Build_CentraSiteClientCredentials_NoGrantTypeButAuthorizationCodeAndRefreshHaveOne()
    {
        ClientSettings settings = ConfidentialSettings(TokenEndpointProfile.CentraSite, o => o.Scope = "VirtualService1");

        string clientCredentials = Encoding.UTF8.GetString(Build(settings, ClientCredentialsGrantFor(settings)).Body);
        string authorizationCode = Encoding.UTF8.GetString(Build(settings, AuthorizationCode).Body);
        string refresh = Encoding.UTF8.GetString(Build(settings, Refresh).Body);

        Assert.False(settings.SendGrantType);
        Assert.Equal("scope=VirtualService1", clientCredentials);
        Assert.DoesNotContain("grant_type", clientCredentials, StringComparison.Ordinal);
        Assert.StartsWith("grant_type=authorization_code&", authorizationCode, StringComparison.Ordinal);
        Assert.StartsWith("grant_type=refresh_token&", refresh, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CentraSiteRequestBodyJson_DocumentedJsonBodyWithoutGrantType()
    {
        ClientSettings settings = ConfidentialSettings(TokenEndpointProfile.CentraSite, o =>
        {
            o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
            o.RequestFormat = TokenRequestFormat.Json;
            o.Scope = "VirtualService1";
        });

        TokenRequest request = Build(settings, ClientCredentialsGrantFor(settings));

        Assert.Null(request.Authorization);
        Assert.Equal(Json, request.ContentType);
        Assert.Equal("{\"client_id\":\"my-app\",\"client_secret\":\"S3cr3t-p@ss:w/rd\\u002B%\\u0026=\",\"scope\":\"VirtualService1\"}", Encoding.UTF8.GetString(request.Body));
    }

    public static TheoryData<ClientAuthenticationStyle, TokenRequestFormat, string?, string, string> AuthenticationStyles => new()
    {
        // style, request format, Basic value (null: no header), body, Content-Type
        { ClientAuthenticationStyle.BasicHeader, TokenRequestFormat.Form, Rfc6749Basic, "grant_type=client_credentials", Form },
        { ClientAuthenticationStyle.BasicHeader, TokenRequestFormat.Json, Rfc6749Basic, "{\"grant_type\":\"client_credentials\"}", Json },
        { ClientAuthenticationStyle.BasicHeaderRaw, TokenRequestFormat.Form, RawBasic, "grant_type=client_credentials", Form },
        { ClientAuthenticationStyle.BasicHeaderRaw, TokenRequestFormat.Json, RawBasic, "{\"grant_type\":\"client_credentials\"}", Json },
        { ClientAuthenticationStyle.RequestBody, TokenRequestFormat.Form, null, "grant_type=client_credentials&client_id=my-app&client_secret=" + ClientSecretFormEncoded, Form },
        { ClientAuthenticationStyle.RequestBody, TokenRequestFormat.Json, null, "{\"grant_type\":\"client_credentials\",\"client_id\":\"my-app\",\"client_secret\":\"S3cr3t-p@ss:w/rd\\u002B%\\u0026=\"}", Json },
    };

    [Theory]
    [MemberData(nameof(AuthenticationStyles))]
    public void Build_ClientAuthenticationStyle_HeaderAndBodyOfThatStyle(ClientAuthenticationStyle style, TokenRequestFormat format, string? basic, string body, string contentType)
    {
        ClientSettings settings = ConfidentialSettings(configure: o =>
        {
            o.ClientAuthentication = style;
            o.RequestFormat = format;
        });

        TokenRequest request = Build(settings, ClientCredentials);

        Assert.Equal(basic, request.Authorization?.Parameter);
        Assert.Equal(body, Encoding.UTF8.GetString(request.Body));
        Assert.Equal(contentType, request.ContentType);
    }

    [Fact]
    public void Build_BasicHeaderWithReservedCharactersInClientId_Rfc6749FormEncodesIdButRawDoesNot()
    {
        const string id = "app:x y";

        TokenRequest rfc = Build(ConfidentialSettings(configure: o => o.ClientId = id), ClientCredentials);
        TokenRequest raw = Build(ConfidentialSettings(configure: o => { o.ClientId = id; o.ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw; }), ClientCredentials);

        Assert.Equal("app%3Ax+y:" + ClientSecretFormEncoded, Encoding.UTF8.GetString(Convert.FromBase64String(rfc.Authorization!.Parameter!)));
        Assert.Equal("app:x y:" + ClientSecret, Encoding.UTF8.GetString(Convert.FromBase64String(raw.Authorization!.Parameter!)));
    }

    [Theory]
    [InlineData(TokenRequestFormat.Form, "grant_type=authorization_code&code=" + CodeFormEncoded + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&code_verifier=" + CodeVerifier + "&client_id=my-app")]
    [InlineData(TokenRequestFormat.Json, "{\"grant_type\":\"authorization_code\",\"code\":\"c0de/with\\u002Bplus=\",\"redirect_uri\":\"http://127.0.0.1:8400/callback\",\"code_verifier\":\"" + CodeVerifier + "\",\"client_id\":\"my-app\"}")]
    public void Build_PublicClientAuthorizationCode_ClientIdOnceNoSecretNoHeader(TokenRequestFormat format, string body)
    {
        ClientSettings settings = PublicClientSettings(configure: o => o.RequestFormat = format);

        TokenRequest request = Build(settings, AuthorizationCode);

        Assert.Null(settings.ClientSecret);
        Assert.Null(request.Authorization);
        Assert.Equal(body, Encoding.UTF8.GetString(request.Body));
        Assert.Equal([Code, CodeFormEncoded, JsonEncodedText.Encode(Code).ToString(), CodeVerifier, CodeVerifier, CodeVerifier], request.Credentials);
    }

    [Theory]
    [InlineData(ClientAuthenticationStyle.BasicHeader)]
    [InlineData(ClientAuthenticationStyle.BasicHeaderRaw)]
    [InlineData(ClientAuthenticationStyle.RequestBody)]
    public void Build_PublicClientAnyStyle_SendsOnlyClientIdInBody(ClientAuthenticationStyle style)
    {
        ClientSettings settings = PublicClientSettings(configure: o => o.ClientAuthentication = style);

        TokenRequest request = Build(settings, new ClientCredentialsGrant(sendGrantType: true));

        Assert.Null(request.Authorization);
        Assert.Equal("grant_type=client_credentials&client_id=my-app", Encoding.UTF8.GetString(request.Body));
        Assert.Empty(request.Credentials);
    }

    [Fact]
    public void Build_RequestBodyWithScopeAndAdditionalParameters_FieldsInOrderParametersSortedByName()
    {
        ClientSettings settings = ConfidentialSettings(configure: o =>
        {
            o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
            o.Scope = "  orders read ";
            o.AdditionalParameters["resource"] = "https://api.example.com/v1?x=1&y=2";
            o.AdditionalParameters["audience"] = "billing api";
        });

        TokenRequest request = Build(settings, ClientCredentials);

        Assert.Equal(
            "grant_type=client_credentials&client_id=my-app&client_secret=" + ClientSecretFormEncoded
            + "&scope=orders+read&audience=billing+api&resource=https%3A%2F%2Fapi.example.com%2Fv1%3Fx%3D1%26y%3D2",
            Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public void Build_JsonWithScopeAndAdditionalParameters_StringFieldsInSameOrder()
    {
        ClientSettings settings = ConfidentialSettings(TokenEndpointProfile.WebMethodsApiGateway, o =>
        {
            o.Scope = "orders";
            o.AdditionalParameters["resource"] = "urn:payroll";
            o.AdditionalParameters["audience"] = "billing";
        });

        TokenRequest request = Build(settings, AuthorizationCode);

        Assert.Equal(
            "{\"grant_type\":\"authorization_code\",\"code\":\"c0de/with\\u002Bplus=\",\"redirect_uri\":\"http://127.0.0.1:8400/callback\",\"code_verifier\":\"" + CodeVerifier
            + "\",\"client_id\":\"my-app\",\"scope\":\"orders\",\"audience\":\"billing\",\"resource\":\"urn:payroll\"}",
            Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public void Build_ProfileWithOwnScopeParameterName_ScopeSentUnderThatName()
    {
        TokenEndpointProfile profile = TokenEndpointProfile.Rfc6749 with { ScopeParameterName = "resource_scope" };

        TokenRequest request = Build(ConfidentialSettings(profile, o => o.Scope = "orders"), ClientCredentials);

        Assert.Equal("grant_type=client_credentials&resource_scope=orders", Encoding.UTF8.GetString(request.Body));
    }

    [Fact]
    public void Build_AdditionalParameterNamedLikeAGrantOrScopeField_GrantAndScopeWin()
    {
        ClientSettings settings = ConfidentialSettings(configure: o =>
        {
            o.Scope = "orders";
            o.AdditionalParameters["scope"] = "everything";
            o.AdditionalParameters["code"] = "forged";
            o.AdditionalParameters["redirect_uri"] = "https://evil.example.com/";
        });

        string body = Encoding.UTF8.GetString(Build(settings, AuthorizationCode).Body);

        Assert.Equal(
            "grant_type=authorization_code&code=" + CodeFormEncoded + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&code_verifier=" + CodeVerifier + "&client_id=my-app&scope=orders",
            body);
    }

    [Fact]
    public void Build_NoScope_NoScopeField()
    {
        TokenRequest request = Build(ConfidentialSettings(configure: o => o.Scope = "   "), ClientCredentials);

        Assert.Equal("grant_type=client_credentials", Encoding.UTF8.GetString(request.Body));
    }

    [Theory]
    [InlineData(ClientAuthenticationStyle.BasicHeader)]
    [InlineData(ClientAuthenticationStyle.BasicHeaderRaw)]
    [InlineData(ClientAuthenticationStyle.RequestBody)]
    public void Build_AnyStyle_CredentialsHoldSecretRawAndFormEncodedAndBasicValue(ClientAuthenticationStyle style)
    {
        TokenRequest request = Build(ConfidentialSettings(configure: o => o.ClientAuthentication = style), ClientCredentials);

        Assert.Contains(ClientSecret, request.Credentials);
        Assert.Contains(ClientSecretFormEncoded, request.Credentials);
        if (request.Authorization is { } authorization)
        {
            Assert.Contains(authorization.Parameter!, request.Credentials);
        }
        else
        {
            Assert.Equal(ClientAuthenticationStyle.RequestBody, style);
        }
    }

    [Theory]
    [InlineData("Rfc6749")]
    [InlineData("PxPlus")]
    [InlineData("CentraSite")]
    [InlineData("Ords")]
    [InlineData("WebMethodsApiGateway")]
    public void Build_EveryGrant_CredentialsHoldEverythingSentAndToStringNone(string profile)
    {
        ClientSettings settings = ConfidentialSettings(Profiles[profile]);
        string[] expectedByGrant = [ClientSecret, ClientSecretFormEncoded];

        foreach ((ITokenGrant grant, string[] grantCredentials) in new (ITokenGrant, string[])[]
        {
            (ClientCredentialsGrantFor(settings), []),
            (AuthorizationCode, [Code, CodeFormEncoded, CodeVerifier]),
            (Refresh, [RefreshToken, RefreshTokenFormEncoded]),
        })
        {
            TokenRequest request = Build(settings, grant);
            string basic = request.Authorization!.Parameter!;

            foreach (string credential in expectedByGrant.Concat(grantCredentials).Append(basic))
            {
                Assert.Contains(credential, request.Credentials);
            }

            string text = request.ToString();
            Assert.Equal($"TokenRequest {{ POST {settings.RedactedTokenEndpoint}, {request.ContentType}, {request.Body.Length} bytes }}", text);
            foreach (string credential in request.Credentials)
            {
                Assert.DoesNotContain(credential, text, StringComparison.Ordinal);
            }

            Assert.DoesNotContain("acme-query", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Build_JsonBody_CredentialsHoldSecretAsJsonEscaped()
    {
        ClientSettings settings = ConfidentialSettings(configure: o =>
        {
            o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
            o.RequestFormat = TokenRequestFormat.Json;
        });

        TokenRequest request = Build(settings, ClientCredentials);

        string sentForm = "S3cr3t-p@ss:w/rd\\u002B%\\u0026=";
        Assert.Contains(sentForm, Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
        Assert.Contains(sentForm, request.Credentials);
    }

    [Fact]
    public async Task CreateMessage_CalledTwice_TwoIndependentMessagesWithIdenticalBytesAndHeaders()
    {
        TokenRequest request = Build(ConfidentialSettings(configure: o => o.Scope = "orders read"), ClientCredentials);

        HttpRequestMessage first = request.CreateMessage();
        HttpRequestMessage second = request.CreateMessage();
        byte[] firstBytes = await first.Content!.ReadAsByteArrayAsync();
        first.Headers.Accept.Clear();
        first.Dispose();
        byte[] secondBytes = await second.Content!.ReadAsByteArrayAsync();

        Assert.NotSame(first, second);
        Assert.Equal(firstBytes, secondBytes);
        Assert.Equal("grant_type=client_credentials&scope=orders+read", Encoding.UTF8.GetString(secondBytes));
        Assert.Equal(HttpMethod.Post, second.Method);
        Assert.Equal(Rfc6749Endpoint, second.RequestUri);
        Assert.Equal(Form, second.Content.Headers.ContentType!.ToString());
        Assert.Equal("Basic " + Rfc6749Basic, second.Headers.Authorization!.ToString());
        Assert.Equal(AcceptJsonOrXml, second.Headers.Accept.ToString());
        second.Dispose();
    }

    [Fact]
    public void Build_SameGrantTwice_SameBytes()
    {
        var builder = new TokenRequestBuilder(ConfidentialSettings(TokenEndpointProfile.WebMethodsApiGateway, o => o.AdditionalParameters["b"] = "2"));

        Assert.Equal(builder.Build(Refresh).Body, builder.Build(Refresh).Body);
    }

    [Fact]
    public void Build_ClientAssertion_TypeAssertionAndClientIdNoSecretNoHeaderAndAssertionIsCredential()
    {
        ClientSettings settings = ConfidentialSettings(configure: o => { o.ClientAuthentication = ClientAuthenticationStyle.ClientSecretJwt; o.ClientSecret = new string('k', 32); });
        var builder = new TokenRequestBuilder(settings);

        TokenRequest request = builder.Build(ClientCredentials, clientAssertion: "eyJh.eyJp.c2ln");

        Assert.True(builder.UsesAssertion);
        Assert.Null(request.Authorization);
        Assert.Equal(
            "grant_type=client_credentials&client_id=my-app&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJh.eyJp.c2ln",
            Encoding.UTF8.GetString(request.Body));
        Assert.Contains("eyJh.eyJp.c2ln", request.Credentials);
        Assert.DoesNotContain(new string('k', 32), Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_AuthorizationCodeWithClientAssertion_GrantFieldsThenAssertionClientIdOnce()
    {
        ClientSettings settings = ConfidentialSettings(configure: o => { o.ClientAuthentication = ClientAuthenticationStyle.ClientSecretJwt; o.ClientSecret = new string('k', 32); });

        TokenRequest request = new TokenRequestBuilder(settings).Build(AuthorizationCode, clientAssertion: "eyJh.eyJp.c2ln");

        Assert.Equal(
            "grant_type=authorization_code&code=" + CodeFormEncoded + "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&code_verifier=" + CodeVerifier
            + "&client_id=my-app&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=eyJh.eyJp.c2ln",
            Encoding.UTF8.GetString(request.Body));
        Assert.False(request.IsRetriable);
    }

    [Fact]
    public void Build_TlsClientCertificate_OnlyClientIdEvenWithSecretConfigured()
    {
        ClientSettings settings = ConfidentialSettings(configure: o => o.ClientAuthentication = ClientAuthenticationStyle.TlsClientCertificate);

        TokenRequest request = Build(settings, ClientCredentials);

        Assert.Null(request.Authorization);
        Assert.Equal("grant_type=client_credentials&client_id=my-app", Encoding.UTF8.GetString(request.Body));
        Assert.Empty(request.Credentials);
    }

    [Fact]
    public void Build_PerRequestParameters_WinOverConfiguredScopeAndAdditionalParameters()
    {
        ClientSettings settings = ConfidentialSettings(configure: o =>
        {
            o.Scope = "default.scope";
            o.AdditionalParameters["resource"] = "https://configured.example.com";
            o.AdditionalParameters["tenant"] = "acme";
        });

        TokenRequest request = new TokenRequestBuilder(settings).Build(ClientCredentials, new OAuth2TokenParameters { Scope = "reports.read", Resource = "https://reports.example.com" });

        Assert.Equal(
            "grant_type=client_credentials&scope=reports.read&resource=https%3A%2F%2Freports.example.com&tenant=acme",
            Encoding.UTF8.GetString(request.Body));
    }

    private static TokenRequest Build(ClientSettings settings, ITokenGrant grant) => new TokenRequestBuilder(settings).Build(grant);

    private static ClientCredentialsGrant ClientCredentialsGrantFor(ClientSettings settings) => new(settings.SendGrantType);
}
