using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OAuth2Client.Testing.Tests;

/// <summary>Each knob of <see cref="EmulatedOAuthServer"/>, over real HTTP, the way a test of a user's app drives it.</summary>
public sealed class EmulatedOAuthServerTests
{
    private static readonly HttpClient Http = new();

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

    [Fact]
    public async Task FailNextTokenRequests_ServiceUnavailable_FailsExactlyThatManyThenRecovers()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.PxPlus);
        server.FailNextTokenRequests(2, TokenFault.ServiceUnavailable());
        Assert.Equal(2, server.PendingTokenFaults);

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await RequestTokenAsync(server);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
        Assert.Equal(0, server.PendingTokenFaults);
        Assert.Equal(3, server.TokenRequestCount);
        Assert.Single(server.IssuedTokens);
    }

    [Fact]
    public async Task FailNextTokenRequests_TooManyRequests_SendsRetryAfterInWholeSeconds()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.CentraSite);
        server.FailNextTokenRequests(1, TokenFault.TooManyRequests(TimeSpan.FromSeconds(1.2)));

        using HttpResponseMessage response = await RequestTokenAsync(server);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task FailNextTokenRequests_DropConnection_ClientSeesAnIOErrorThenTheNextRequestWorks()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.FailNextTokenRequests(1, TokenFault.DropConnection());

        await Assert.ThrowsAsync<HttpRequestException>(() => RequestTokenAsync(server));
        using HttpResponseMessage next = await RequestTokenAsync(server);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, server.TokenRequestCount);
    }

    [Fact]
    public async Task FailNextTokenRequests_Delay_AnswersNormallyButNotBeforeTheDelay()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        TimeSpan delay = TimeSpan.FromMilliseconds(300);
        server.FailNextTokenRequests(1, TokenFault.Delay(delay));

        var watch = Stopwatch.StartNew();
        using HttpResponseMessage slow = await RequestTokenAsync(server);
        TimeSpan elapsed = watch.Elapsed;

        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.True(elapsed >= delay - TimeSpan.FromMilliseconds(20), $"answered after {elapsed}"); // a lower bound only: cannot flake on a slow machine
        Assert.Equal(0, server.PendingTokenFaults);
    }

    [Fact]
    public async Task FailNextTokenRequests_Delay_ClientTimeoutSeesTheSlowEndpoint()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.FailNextTokenRequests(1, TokenFault.Delay(TimeSpan.FromMinutes(5)));
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RequestTokenAsync(server, impatient));
    }

    [Fact]
    public async Task FailNextTokenRequests_CallsAddUpInOrder()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.FailNextTokenRequests(1, TokenFault.Status(502));
        server.FailNextTokenRequests(1, TokenFault.Respond(new TokenReply(500, "text/html", "<html>oops</html>")));

        using HttpResponseMessage first = await RequestTokenAsync(server);
        using HttpResponseMessage second = await RequestTokenAsync(server);
        using HttpResponseMessage third = await RequestTokenAsync(server);

        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal("<html>oops</html>", await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task ClearTokenFaults_DropsThePendingOnes()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.FailNextTokenRequests(3, TokenFault.ServiceUnavailable());

        server.ClearTokenFaults();

        using HttpResponseMessage response = await RequestTokenAsync(server);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void TokenFault_RejectsNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenFault.Delay(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenFault.TooManyRequests(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenFault.Status(42));
        Assert.Equal("429 Too Many Requests, Retry-After: 3", TokenFault.TooManyRequests(TimeSpan.FromSeconds(3)).ToString());
    }

    [Fact]
    public async Task FailNextTokenRequests_ZeroCount_Throws()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);

        Assert.Throws<ArgumentOutOfRangeException>(() => server.FailNextTokenRequests(0, TokenFault.ServiceUnavailable()));
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
    public async Task RecordedRequest_ToString_RedactsBasicCredentialsAndFormSecrets()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, "my-app", "s3cr3t-value");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "my-app", ["client_secret"] = "s3cr3t-value", ["scope"] = "orders",
        });
        using HttpResponseMessage response = await Http.PostAsync(server.TokenEndpoint, body);
        string token = (await ReadJsonAsync(response)).GetProperty("access_token").GetString()!;
        await CallApiAsync(server, token, "orders?access_token=" + token);

        string printed = server.LastTokenRequest!.ToString();
        string api = server.LastApiRequest!.ToString();

        Assert.Contains("client_secret=[redacted]", printed, StringComparison.Ordinal);
        Assert.Contains("scope=orders", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", printed, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer [redacted]", api, StringComparison.Ordinal);
        Assert.DoesNotContain(token, api, StringComparison.Ordinal);
        Assert.Equal("s3cr3t-value", System.Web.HttpUtility.ParseQueryString(server.LastTokenRequest.BodyText)["client_secret"]); // raw values stay available for assertions
    }

    [Fact]
    public async Task RecordedRequest_ToString_RedactsBasicHeaderAndJsonBodySecrets()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.CentraSite, "my-app", "s3cr3t-value");
        using (var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("my-app:s3cr3t-value")));
            request.Content = new StringContent("{\"client_secret\":\"s3cr3t-value\",\"scope\":\"x\"}", Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await Http.SendAsync(request);
        }

        string printed = server.LastTokenRequest!.ToString();

        Assert.StartsWith("POST /rest/pub.mediator.oauth2.getOAuth2AccessToken (Authorization: Basic [redacted];", printed, StringComparison.Ordinal);
        Assert.Contains("{\"client_secret\":\"[redacted]\",\"scope\":\"x\"}", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("my-app:s3cr3t-value")), printed, StringComparison.Ordinal);
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

    [Fact]
    public async Task VendorEmulators_StartsFourVendorsOnDistinctPorts_WithTheSameCredentials()
    {
        await using VendorEmulators emulators = await VendorEmulators.StartAsync("app", "secret");

        Assert.Equal(["PxPlus", "CentraSite", "webMethods API Gateway", "Oracle ORDS"], emulators.All.Select(s => s.Behavior.Name));
        Assert.Equal(4, emulators.All.Select(s => s.BaseAddress.Port).Distinct().Count());
        foreach (EmulatedOAuthServer server in emulators.All)
        {
            using HttpResponseMessage response = await RequestTokenAsync(server);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{server}: {(int)response.StatusCode}");
        }

        Assert.EndsWith("/invoke/pub.apigateway.oauth2/authorize", emulators.WebMethodsApiGateway.AuthorizationEndpoint.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VendorEmulators_WhenThePortIsTaken_ThrowsIOException()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        await Assert.ThrowsAsync<IOException>(() => VendorEmulators.StartAsync("app", "secret", port));
    }

    internal static TokenEndpointBehavior VendorNamed(string vendor) => vendor switch
    {
        "PxPlus" => Vendors.PxPlus,
        "CentraSite" => Vendors.CentraSite,
        "WebMethodsApiGateway" => Vendors.WebMethodsApiGateway,
        "Ords" => Vendors.Ords,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };

    /// <summary>A client-credentials token request in the dialect the server's vendor documents (raw Basic; form, or JSON for API Gateway, or none for CentraSite).</summary>
    internal static async Task<HttpResponseMessage> RequestTokenAsync(EmulatedOAuthServer server, HttpClient? client = null, HttpContent? body = null, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint);
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(server.ClientId + ":" + (secret ?? server.ClientSecret))));
        request.Content = body ?? (server.Behavior.Body switch
        {
            RequiredBody.Json => new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json"),
            RequiredBody.Form => new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
            _ => null,
        });
        return await (client ?? Http).SendAsync(request);
    }

    internal static async Task<string> GetTokenAsync(EmulatedOAuthServer server)
    {
        using HttpResponseMessage response = await RequestTokenAsync(server);
        response.EnsureSuccessStatusCode();
        return (await ReadJsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    private static AuthenticationHeaderValue BasicRaw(EmulatedOAuthServer server)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(server.ClientId + ":" + server.ClientSecret)));

    private static async Task<HttpStatusCode> CallApiAsync(EmulatedOAuthServer server, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.ApiAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
