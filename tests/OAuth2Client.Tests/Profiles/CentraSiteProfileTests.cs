using System.Net;
using System.Text;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Profiles;

/// <summary>
/// CentraSite / webMethods Mediator (seed 001): three credential styles, optional scope that the server adds when absent,
/// JSON or XML responses. Reading chosen: the service takes no grant_type, and the fake refuses one.
/// </summary>
public sealed class CentraSiteProfileTests
{
    private static Task<Harness> StartAsync(Action<OAuth2ClientOptions>? configure = null)
        => Harness.StartVendorAsync(Vendors.CentraSite, TokenEndpointProfile.CentraSite, configure);

    [Fact]
    public async Task BasicHeader_NoScope_ServerChosenScopeKeptOnToken()
    {
        await using Harness h = await StartAsync();

        OAuth2Token token = await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("/rest/pub.mediator.oauth2.getOAuth2AccessToken", request.Path);
        Assert.Equal(Harness.RawBasicHeader, request.Authorization);
        Assert.Empty(request.Body);
        Assert.Equal("DefaultVirtualService", token.Scope);
    }

    [Fact]
    public async Task BasicHeader_WithScope_ScopeInFormBodyAndNoCredentialsInBody()
    {
        await using Harness h = await StartAsync(o => o.Scope = "OrdersVS");

        OAuth2Token token = await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("scope=OrdersVS", request.BodyText);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal("OrdersVS", token.Scope);
    }

    [Fact]
    public async Task JsonBodyCredentials_SendsDocumentedJsonObject()
    {
        await using Harness h = await StartAsync(o =>
        {
            o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
            o.RequestFormat = TokenRequestFormat.Json;
            o.Scope = "OrdersVS";
        });

        OAuth2Token token = await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Null(request.Authorization);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"client_id\":\"test-client\",\"client_secret\":\"S3cr3t-p@ss:w/rd\\u002B%\\u0026=\",\"scope\":\"OrdersVS\"}", request.BodyText);
        Assert.True(h.Server.IsValid(token.Value));
    }

    [Fact]
    public async Task FormBodyCredentials_SendsDocumentedForm()
    {
        await using Harness h = await StartAsync(o =>
        {
            o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
            o.Scope = "OrdersVS";
        });

        OAuth2Token token = await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Null(request.Authorization);
        Assert.Equal("client_id=test-client&client_secret=S3cr3t-p%40ss%3Aw%2Frd%2B%25%26%3D&scope=OrdersVS", request.BodyText);
        Assert.True(h.Server.IsValid(token.Value));
    }

    [Fact]
    public async Task Fake_HeaderAndBodyCredentials_HeaderWins()
    {
        // Our client never sends both; this pins the fake to the documented rule so the other tests mean something.
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.CentraSite, Harness.ClientId, Harness.ClientSecret);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint)
        {
            Content = new StringContent("{\"client_id\":\"test-client\",\"client_secret\":\"wrong\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Harness.ClientId + ":" + Harness.ClientSecret)));

        using HttpResponseMessage response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("OrdersVS")]
    public async Task XmlResponse_GivesSameTokenAsJson(string? scope)
    {
        await using Harness xml = await StartAsync(o =>
        {
            o.ResponseFormat = TokenResponseFormat.Xml;
            o.Scope = scope;
        });
        await using Harness json = await StartAsync(o => o.Scope = scope);

        OAuth2Token fromXml = await xml.Provider.GetTokenAsync();
        OAuth2Token fromJson = await json.Provider.GetTokenAsync();

        Assert.Equal("application/xml", xml.Server.TokenRequests[0].Accept);
        Assert.True(xml.Server.IsValid(fromXml.Value));
        Assert.Equal(fromJson.ExpiresAt - json.Time.GetUtcNow(), fromXml.ExpiresAt - xml.Time.GetUtcNow());
        Assert.Equal(fromJson.Scope, fromXml.Scope);
        Assert.Equal(fromJson.TokenType, fromXml.TokenType);
    }

    [Fact]
    public async Task XmlResponseAsDocumented_ParsedInAutoMode()
    {
        await using Harness h = await StartAsync();
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(200, "text/xml",
            "<Response\nxmlns=\"https://localhost/rest/pub.mediator.OAuth 2.0.getOAuth 2.0AccessToken\">\n<access_token>db95b40095f31439a1cd8f411e64abe8</access_token>\n<expires_in>3600</expires_in>\n<token_type>Bearer</token_type>\n</Response>");

        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.Equal("db95b40095f31439a1cd8f411e64abe8", token.Value);
        Assert.Equal(h.Time.GetUtcNow().AddHours(1), token.ExpiresAt);
    }

    [Fact]
    public async Task XmlWithExternalEntity_RejectedAndEntityNeverResolved()
    {
        await using Harness h = await StartAsync(o => o.ResponseFormat = TokenResponseFormat.Xml);
        string evil = new Uri(h.Server.BaseAddress, "/evil-entity").AbsoluteUri;
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(200, "application/xml",
            $"<?xml version=\"1.0\"?><!DOCTYPE Response [<!ENTITY x SYSTEM \"{evil}\">]><Response><access_token>&x;</access_token><expires_in>3600</expires_in><token_type>Bearer</token_type></Response>");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains("declares a DTD", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Server.ApiRequests, r => r.Path.Contains("evil", StringComparison.Ordinal));
    }

    [Fact]
    public async Task XmlBillionLaughs_Rejected()
    {
        await using Harness h = await StartAsync(o => o.ResponseFormat = TokenResponseFormat.Xml);
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(200, "application/xml",
            "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;\">]><Response><access_token>&lol2;</access_token></Response>");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task XmlRequested_JsonErrorAnswer_ErrorCodeStillRead()
    {
        await using Harness h = await StartAsync(o =>
        {
            o.ResponseFormat = TokenResponseFormat.Xml;
            o.ClientSecret = "wrong";
        });

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", ex.Error);
    }

    [Fact]
    public async Task GrantTypeSent_RefusedByStrictFake()
    {
        await using Harness h = await StartAsync(o => o.Profile = TokenEndpointProfile.CentraSite with { SendGrantType = true });

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_request", ex.Error);
    }

    [Fact]
    public async Task ApiAnswers401_RenewsAndRetries()
    {
        await using Harness h = await StartAsync();
        await h.Api.GetStringAsync("OrdersVS/orders");
        h.Server.RevokeAllTokens();

        using HttpResponseMessage response = await h.Api.GetAsync("OrdersVS/orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Server.TokenRequestCount);
    }
}
