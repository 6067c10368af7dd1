using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static OAuth2Client.Testing.Tests.Wire;

namespace OAuth2Client.Testing.Tests;

/// <summary>Each knob of <see cref="EmulatedOAuthServer"/>, over real HTTP, the way a test of a user's app drives it.</summary>
public sealed class EmulatedOAuthServerTests
{
    [Fact]
    public async Task StartAsync_WithoutCredentials_ListensOnLoopbackAndAcceptsTheDefaults()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);

        Assert.Equal("127.0.0.1", server.BaseAddress.Host);
        Assert.NotEqual(0, server.BaseAddress.Port);
        Assert.Equal(EmulatedOAuthServer.DefaultClientId, server.ClientId);
        using HttpResponseMessage response = await RequestTokenAsync(server);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bearer", (await ReadJsonAsync(response)).GetProperty("token_type").GetString());
    }

    [Fact]
    public async Task DisposeAsync_StopsListening()
    {
        EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        Uri endpoint = server.TokenEndpoint;
        await server.DisposeAsync();
        await server.DisposeAsync(); // twice is harmless

        await Assert.ThrowsAsync<HttpRequestException>(() => Http.PostAsync(endpoint, new StringContent(string.Empty)));
    }

    [Theory]
    [InlineData(60)]
    [InlineData(7200)]
    public async Task TokenLifetimeSeconds_IsWrittenIntoExpiresIn(int seconds)
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.TokenLifetimeSeconds = seconds;

        using HttpResponseMessage response = await RequestTokenAsync(server);

        Assert.Equal(seconds, (await ReadJsonAsync(response)).GetProperty("expires_in").GetInt32());
    }

    [Fact]
    public async Task TokenLifetimeSeconds_Null_LeavesExpiresInOut()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.TokenLifetimeSeconds = null;

        using HttpResponseMessage response = await RequestTokenAsync(server);

        Assert.False((await ReadJsonAsync(response)).TryGetProperty("expires_in", out _));
    }

    [Fact]
    public async Task RevokeAllTokens_ApiAnswers401ToTheHeldToken_AndANewTokenWorks()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        string token = await GetTokenAsync(server);
        Assert.Equal(HttpStatusCode.OK, await CallApiAsync(server, token, "employees/"));

        server.RevokeAllTokens();

        Assert.False(server.IsValid(token));
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.ApiAddress, "employees/")))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using HttpResponseMessage refused = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
        }

        Assert.Equal(HttpStatusCode.OK, await CallApiAsync(server, await GetTokenAsync(server), "employees/"));
    }

    [Theory]
    [MemberData(nameof(WrongCredentialAnswers))]
    public async Task ClientSecret_Changed_TokenRequestsFailTheVendorsWay(string vendor, HttpStatusCode status, string expectedBody)
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(VendorNamed(vendor));
        server.ClientSecret = "rotated";

        using HttpResponseMessage response = await RequestTokenAsync(server, secret: EmulatedOAuthServer.DefaultClientSecret);

        Assert.Equal(status, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith(expectedBody, body, StringComparison.Ordinal);
        Assert.DoesNotContain(EmulatedOAuthServer.DefaultClientSecret, body, StringComparison.Ordinal);
    }

    public static TheoryData<string, HttpStatusCode, string> WrongCredentialAnswers => new()
    {
        { "PxPlus", HttpStatusCode.Unauthorized, "{\"error\":\"invalid_client\"}" }, // only "error"
        { "CentraSite", HttpStatusCode.Unauthorized, "{\"error\":\"invalid_client\",\"error_description\":" },
        { "WebMethodsApiGateway", HttpStatusCode.Unauthorized, "{\"error\":\"invalid_client\",\"error_description\":" },
        { "Ords", HttpStatusCode.Unauthorized, string.Empty }, // a bare 401
    };

    [Fact]
    public async Task Counters_CountTokenAndApiRequests_AndClearRecordedRequestsResetsThem()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.CentraSite);
        string token = await GetTokenAsync(server);
        await CallApiAsync(server, token, "orders/1");
        await CallApiAsync(server, "not-a-token", "orders/2");

        Assert.Equal(1, server.TokenRequestCount);
        Assert.Equal(2, server.ApiRequestCount);
        Assert.Equal("/ws/orders/2", server.LastApiRequest?.Path);
        Assert.Equal(["/ws/orders/1", "/ws/orders/2"], server.ApiRequests.Select(r => r.Path));
        Assert.Equal(server.TokenEndpoint.AbsolutePath, server.LastTokenRequest?.Path);

        server.ClearRecordedRequests();

        Assert.Equal(0, server.TokenRequestCount);
        Assert.Equal(0, server.ApiRequestCount);
        Assert.Null(server.LastTokenRequest);
        Assert.Null(server.LastApiRequest);
        Assert.Empty(server.ApiRequests);
        Assert.True(server.IsValid(token));
    }

    [Fact]
    public async Task ToString_NamesVendorAndAddress_NotTheSecret()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords, "id", "very-secret");

        Assert.Equal($"Oracle ORDS emulator at {server.BaseAddress}", server.ToString());
    }

    [Fact]
    public async Task CentraSite_AcceptXml_AnswersTheXmlResponseDocument()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.CentraSite);
        using var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint);
        request.Headers.Authorization = BasicRaw(server);
        request.Headers.Accept.ParseAdd("application/xml");

        using HttpResponseMessage response = await Http.SendAsync(request);

        string xml = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<Response xmlns=", xml, StringComparison.Ordinal);
        Assert.Contains("<scope>DefaultVirtualService</scope>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebMethodsApiGateway_FormBody_IsRefused()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.WebMethodsApiGateway);

        using HttpResponseMessage form = await RequestTokenAsync(server, body: new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));

        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
    }
}
