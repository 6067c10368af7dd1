using System.Net;
using System.Security.Cryptography;
using System.Text;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Http;

public sealed class BearerTokenHandlerTests
{
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("{\"order\":42,\"note\":\"ünïcødé ✓\"}");
    private static readonly string PayloadSha256 = Convert.ToHexString(SHA256.HashData(Payload)).ToLowerInvariant();

    [Fact]
    public async Task SendAsync_CachedToken_AttachesBearerAndReusesIt()
    {
        await using Harness h = await Harness.StartAsync();

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await h.Api.GetAsync("orders");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(1, h.Server.TokenRequestCount);
        Assert.Equal(3, h.Server.ApiRequestCount);
        string token = Assert.Single(h.Server.IssuedTokens);
        Assert.All(h.Server.ApiRequests, r => Assert.Equal("Bearer " + token, r.Authorization));
    }

    [Fact]
    public async Task SendAsync_TokenNotObtainable_ThrowsTypedExceptionAndNeverCallsApi()
    {
        await using Harness h = await Harness.StartAsync(configure: o => o.ClientSecret = "wrong-secret");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Api.GetAsync("orders"));

        Assert.Equal("invalid_client", ex.Error);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal(0, h.Server.ApiRequestCount);
    }

    [Theory]
    [InlineData("string")]
    [InlineData("bytes")]
    [InlineData("non-seekable stream")]
    [InlineData("seekable stream")]
    [InlineData("non-seekable stream with Content-Length")]
    [InlineData("multipart with non-seekable part")]
    public async Task SendAsync_ApiAnswers401_RenewsOnceAndRetriesWithIdenticalBody(string kind)
    {
        await using Harness h = await Harness.StartAsync();
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RevokeAllTokens();
        using var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = CreateContent(kind) };
        request.Headers.Add("X-Correlation", "abc-123");

        using HttpResponseMessage response = await h.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Server.TokenRequestCount);
        RecordedRequest[] posts = h.Server.ApiRequests.Where(r => r.Method == "POST").ToArray();
        Assert.Equal(2, posts.Length);
        Assert.Equal(posts[0].BodySha256, posts[1].BodySha256);
        if (!kind.StartsWith("multipart", StringComparison.Ordinal))
        {
            Assert.Equal(PayloadSha256, posts[0].BodySha256);
        }

        Assert.NotEqual(posts[0].Authorization, posts[1].Authorization);
        Assert.Equal("Bearer " + h.Server.IssuedTokens[1], posts[1].Authorization);
        Assert.Equal(posts[0].ContentType, posts[1].ContentType);
    }

    [Fact]
    public async Task SendAsync_SecondUnauthorized_ReturnedToCallerWithoutFurtherRetries()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.RejectAllApiCalls = true;

        using HttpResponseMessage response = await h.Api.PostAsync("orders", new StringContent("x"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, h.Server.ApiRequestCount);
        Assert.Equal(2, h.Server.TokenRequestCount);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.UnauthorizedAfterRenewal);
    }

    [Fact]
    public async Task SendAsync_FiftyConcurrent401sForSameToken_CauseOneRenewal()
    {
        await using Harness h = await Harness.StartAsync();
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RevokeAllTokens();
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => h.Api.GetAsync("orders")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(2, h.Server.TokenRequestCount);
        foreach (HttpResponseMessage response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task SendAsync_401FromRedirectTarget_ReturnedWithoutRenewingGoodToken()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.ApiResponder = (context, request) =>
        {
            if (request.Path == "/api/moved")
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/api/new-home";
                return Task.CompletedTask;
            }

            context.Response.StatusCode = 200;
            return Task.CompletedTask;
        };

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await h.Api.GetAsync("moved");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode); // .NET drops Authorization on redirect
        }

        Assert.Equal(1, h.Server.TokenRequestCount);
        Assert.Equal(6, h.Server.ApiRequestCount);
        Assert.All(h.Server.ApiRequests.Where(r => r.Path == "/api/new-home"), r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task SendAsync_NonApiStatusCodes_PassedThroughWithoutRenewal()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.ApiResponder = (context, _) =>
        {
            context.Response.StatusCode = 403;
            return Task.CompletedTask;
        };

        using HttpResponseMessage response = await h.Api.GetAsync("orders");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1, h.Server.TokenRequestCount);
        Assert.Equal(1, h.Server.ApiRequestCount);
    }

#if !NETSTANDARD_BUILD_UNDER_TEST // Synchronous HttpClient.Send: netstandard2.0 has no HttpMessageHandler.Send to override.
    [Fact]
    public async Task Send_Synchronous_AttachesTokenAndRecoversFrom401()
    {
        await using Harness h = await Harness.StartAsync();
        using (h.Api.Send(new HttpRequestMessage(HttpMethod.Get, "warm-up")))
        {
        }

        h.Server.RevokeAllTokens();
        using HttpResponseMessage response = h.Api.Send(new HttpRequestMessage(HttpMethod.Post, "orders") { Content = CreateContent("non-seekable stream") });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Server.TokenRequestCount);
        Assert.All(h.Server.ApiRequests.Where(r => r.Method == "POST"), p => Assert.Equal(PayloadSha256, p.BodySha256));
    }
#endif

    [Fact]
    public async Task Constructor_FromOptions_WrapsAPlainHttpClientInOneLine()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        var options = new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = Harness.ClientId, ClientSecret = Harness.ClientSecret };

        using var http = new HttpClient(new BearerTokenHandler(options)) { BaseAddress = server.ApiAddress };
        using HttpResponseMessage response = await http.GetAsync("orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, server.TokenRequestCount);
    }

    [Fact]
    public async Task SendAsync_FullFlowWithRenewal_LogsNoSecretsOrTokens()
    {
        await using Harness h = await Harness.StartAsync();
        using (await h.Api.GetAsync("orders?customer=secret-query-value"))
        {
        }

        h.Server.RevokeAllTokens();
        using (await h.Api.GetAsync("orders?customer=secret-query-value"))
        {
        }

        Assert.NotEqual(0, h.Logs.Count);
        h.AssertNoSecrets(h.Logs.AllText());
        Assert.DoesNotContain("secret-query-value", h.Logs.AllText(), StringComparison.Ordinal);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.RenewingAfterUnauthorized);
    }

    private static HttpContent CreateContent(string kind)
    {
        HttpContent content = kind switch
        {
            "string" => new StringContent(Encoding.UTF8.GetString(Payload), Encoding.UTF8),
            "bytes" => new ByteArrayContent(Payload),
            "non-seekable stream" => new StreamContent(new NonSeekableStream(Payload)),
            "seekable stream" => new StreamContent(new MemoryStream(Payload)),
            "non-seekable stream with Content-Length" => new StreamContent(new NonSeekableStream(Payload)) { Headers = { ContentLength = Payload.Length } },
            "multipart with non-seekable part" => new MultipartFormDataContent("boundary-42") { { new StreamContent(new NonSeekableStream(Payload)), "file", "order.json" } },
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        if (content is MultipartContent)
        {
            return content;
        }

        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }
}
