using System.Net;
using System.Text;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Profiles;

/// <summary>webMethods API Gateway (seed 002), client-credentials part: Basic client auth and a JSON body.</summary>
public sealed class WebMethodsApiGatewayProfileTests
{
    private static Task<Harness> StartAsync(Action<OAuth2ClientOptions>? configure = null)
        => Harness.StartVendorAsync(Vendors.WebMethodsApiGateway, TokenEndpointProfile.WebMethodsApiGateway, configure);

    [Fact]
    public async Task ClientCredentials_SendsBasicAndJsonBody()
    {
        await using Harness h = await StartAsync(o => o.Scope = "email");

        using HttpResponseMessage response = await h.Api.GetAsync("orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest token = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("/invoke/pub.apigateway.oauth2/getAccessToken", token.Path);
        Assert.Equal("application/json", token.ContentType);
        Assert.Equal("{\"grant_type\":\"client_credentials\",\"client_id\":\"test-client\",\"scope\":\"email\"}", token.BodyText);
        Assert.Equal(Harness.RawBasicHeader, token.Authorization);
    }

    [Fact]
    public async Task FormBody_RefusedByStrictFake()
    {
        await using Harness h = await StartAsync(o => o.RequestFormat = TokenRequestFormat.Form);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("invalid_request", ex.Error);
    }

    [Fact]
    public async Task ApiAnswers401_RenewsAndRetries()
    {
        await using Harness h = await StartAsync();
        await h.Api.GetStringAsync("orders");
        h.Server.RevokeAllTokens();

        using HttpResponseMessage response = await h.Api.PostAsync("orders", new StringContent("{\"sku\":1}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Server.TokenRequestCount);
        Assert.Equal(h.Server.ApiRequests[1].BodySha256, h.Server.ApiRequests[2].BodySha256);
    }

    [Fact]
    public void Profile_CarriesAuthorizePath()
    {
        Uri authorize = TokenEndpointProfile.WebMethodsApiGateway.BuildAuthorizeEndpoint(new Uri("https://gw.example.com:5543"));

        Assert.Equal("https://gw.example.com:5543/invoke/pub.apigateway.oauth2/authorize", authorize.AbsoluteUri);
    }
}
