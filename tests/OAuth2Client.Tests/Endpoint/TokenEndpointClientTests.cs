using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;
using WireMock.ResponseBuilders;

namespace OAuth2Client.Tests.Endpoint;

public sealed class TokenEndpointClientTests
{
    private const string IssuedLookalike = "tok-ABCDEF0123456789-secret-token-value";

    /// <summary>
    /// Representative bad answers over real HTTP (every reader case is covered directly by the response reader tests):
    /// the exception says what was wrong, names the endpoint, carries the status, and leaks nothing.
    /// </summary>
    public static TheoryData<string, int, string?, string, string> BadResponses => new()
    {
        { "html page", 200, "text/html", "<!DOCTYPE html><html><body>Login</body></html>", "HTML page" },
        { "truncated json", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"expires_in\":36", "not valid JSON (truncated or malformed" },
        { "400 invalid_client", 400, "application/json", "{\"error\":\"invalid_client\",\"error_description\":\"Unknown client\"}", "refused the token request: HTTP 400 (BadRequest), error 'invalid_client': Unknown client" },
        { "401 empty body", 401, null, "", "HTTP 401 (Unauthorized) with no error details: the client id or secret is probably wrong" },
        { "redirect", 307, null, "", "with a redirect" },
    };

    [Theory]
    [MemberData(nameof(BadResponses))]
    public async Task RequestToken_BadResponse_ThrowsTypedExceptionThatSaysWhatWasWrong(string scenario, int status, string? contentType, string body, string expected)
    {
        using StubTokenEndpoint stub = StubTokenEndpoint.Start(o => o.MaxTokenRequestRetries = 2);
        stub.Respond(StubTokenEndpoint.Raw(status, contentType, body));

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => stub.Provider.GetTokenAsync().AsTask());

        Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{scenario}: '{ex.Message}' should contain '{expected}'");
        Assert.Contains(stub.Options.TokenEndpoint!.GetLeftPart(UriPartial.Path), ex.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(1, stub.TokenRequestCount); // none of these is worth another attempt
        Assert.DoesNotContain(IssuedLookalike, ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(IssuedLookalike, stub.Logs.AllText(), StringComparison.Ordinal);
        stub.AssertNoSecrets(ex.ToString());
        stub.AssertNoSecrets(stub.Logs.AllText());
    }

    [Fact]
    public async Task RequestToken_ServiceUnavailableTwiceThenToken_RetriedAndSucceeds()
    {
        using StubTokenEndpoint stub = StubTokenEndpoint.Start(o =>
        {
            o.MaxTokenRequestRetries = 2;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        stub.RespondInSequence(StubTokenEndpoint.Raw(503), StubTokenEndpoint.Raw(503, "text/plain", "busy"), StubTokenEndpoint.Token("tok-after-retries"));

        OAuth2Token token = await stub.Provider.GetTokenAsync();

        Assert.Equal("tok-after-retries", token.Value);
        Assert.Equal(3, stub.TokenRequestCount);
        Assert.Equal(2, stub.Logs.CountOf(Log.EventIds.RetryingTokenRequest));
        Assert.Equal(0, stub.Logs.CountOf(Log.EventIds.TokenRequestFailed));
    }

    [Fact]
    public async Task RequestToken_ServiceUnavailableEveryTime_TypedErrorAfterAllAttempts()
    {
        using StubTokenEndpoint stub = StubTokenEndpoint.Start(o =>
        {
            o.MaxTokenRequestRetries = 2;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        stub.Respond(StubTokenEndpoint.Raw(503));

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => stub.Provider.GetTokenAsync().AsTask());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains("(after 3 attempts)", stub.Logs.GetSnapshot().Single(r => r.Id.Id == Log.EventIds.TokenRequestFailed).Message, StringComparison.Ordinal);
        Assert.Equal(3, stub.TokenRequestCount);
    }

    [Fact]
    public async Task RequestToken_RetryAfter_NextAttemptWaitsThatLongOnTheClock()
    {
        using StubTokenEndpoint stub = StubTokenEndpoint.Start(o =>
        {
            o.MaxTokenRequestRetries = 1;
            o.TokenRequestRetryDelay = TimeSpan.Zero; // without Retry-After the retry would be immediate
        });
        stub.RespondInSequence(StubTokenEndpoint.Raw(503).WithHeader("Retry-After", "30"), StubTokenEndpoint.Token("tok-after-wait"));

        Task<OAuth2Token> pending = stub.Provider.GetTokenAsync().AsTask();
        await Eventually.WaitUntilAsync(() => stub.Logs.CountOf(Log.EventIds.RetryingTokenRequest) == 1);
        Assert.Equal(TimeSpan.FromSeconds(30).ToString(), stub.Logs.GetSnapshot().Single(r => r.Id.Id == Log.EventIds.RetryingTokenRequest).GetStructuredStateValue("Delay"));
        Assert.False(pending.IsCompleted);
        Assert.Equal(1, stub.TokenRequestCount);

        // Move the fake clock a second at a time: the second attempt must not reach the server before 30 s have passed.
        TimeSpan advanced = TimeSpan.Zero;
        await Eventually.WaitUntilAsync(() =>
        {
            if (stub.TokenRequestCount == 2)
            {
                return true;
            }

            stub.Time.Advance(TimeSpan.FromSeconds(1));
            advanced += TimeSpan.FromSeconds(1);
            return false;
        });
        OAuth2Token token = await pending;

        Assert.True(advanced >= TimeSpan.FromSeconds(30), $"retried after {advanced}");
        Assert.Equal("tok-after-wait", token.Value);
    }

    [Theory]
    [InlineData(400, "{\"error\":\"invalid_request\"}", "invalid_request")]
    [InlineData(401, "{\"error\":\"invalid_client\"}", "invalid_client")]
    [InlineData(400, "{\"error\":\"invalid_scope\"}", "invalid_scope")]
    public async Task RequestToken_ClientErrors_NeverRetried(int status, string body, string error)
    {
        using StubTokenEndpoint stub = StubTokenEndpoint.Start(o =>
        {
            o.MaxTokenRequestRetries = 3;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        stub.Respond(StubTokenEndpoint.Raw(status, "application/json", body));

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => stub.Provider.GetTokenAsync().AsTask());

        Assert.Equal(error, ex.Error);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(1, stub.TokenRequestCount);
        Assert.Equal(0, stub.Logs.CountOf(Log.EventIds.RetryingTokenRequest));
    }

    [Fact]
    public async Task RequestToken_AnswerSlowerThanTimeout_TypedTimeoutError()
    {
        using StubTokenEndpoint stub = StubTokenEndpoint.Start(o => o.TokenRequestTimeout = TimeSpan.FromSeconds(5));
        stub.HoldRequests("tok-too-late");

        Task<OAuth2Token> pending = stub.Provider.GetTokenAsync().AsTask();
        await Eventually.WaitUntilAsync(() => stub.Arrivals == 1);
        Assert.False(pending.IsCompleted);
        stub.Time.Advance(TimeSpan.FromSeconds(5)); // the attempt's timeout runs on the provider's clock
        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => pending);

        Assert.Contains("did not answer within 5 s", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
        Assert.Equal(1, stub.Arrivals);
        stub.AssertNoSecrets(stub.Logs.AllText(), "tok-too-late");
    }

    /// <summary>WireMock's faults answer 200 with an empty or a cut body with garbage appended: typed errors, not retried, nothing echoed.</summary>
    [Theory]
    [InlineData(FaultType.EMPTY_RESPONSE, "its body is empty")]
    [InlineData(FaultType.MALFORMED_RESPONSE_CHUNK, "not valid JSON (truncated or malformed")]
    public async Task RequestToken_FaultyBody_TypedErrorNotRetried(FaultType fault, string expected)
    {
        using StubTokenEndpoint stub = StubTokenEndpoint.Start(o =>
        {
            o.MaxTokenRequestRetries = 2;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        stub.Respond(StubTokenEndpoint.Token(IssuedLookalike).WithFault(fault));

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => stub.Provider.GetTokenAsync().AsTask());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Equal(1, stub.TokenRequestCount);
        Assert.DoesNotContain(IssuedLookalike[..10], ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(IssuedLookalike[..10], stub.Logs.AllText(), StringComparison.Ordinal);
    }

    /// <summary>A connection closed before any answer (WireMock's faults still answer, so a raw socket drops it): transient, retried, then a typed error.</summary>
    [Fact]
    public async Task RequestToken_ConnectionDroppedWithoutAnswer_RetriedThenTypedError()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int connections = 0;
        Task dropping = Task.Run(async () =>
        {
            while (true)
            {
                using Socket socket = await listener.AcceptSocketAsync();
                Interlocked.Increment(ref connections);
                await socket.ReceiveAsync(new byte[4096]); // the request line and headers, then hang up without a word
                socket.Shutdown(SocketShutdown.Both);
            }
        });
        var options = new OAuth2ClientOptions
        {
            TokenEndpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/token"),
            ClientId = Harness.ClientId,
            ClientSecret = Harness.ClientSecret,
            MaxTokenRequestRetries = 2,
            TokenRequestRetryDelay = TimeSpan.Zero,
        };
        var logs = new FakeLogCollector();
        using ILoggerFactory loggerFactory = TestLogs.CreateFactory(logs);
        using var provider = new ClientCredentialsTokenProvider(options, httpClient: null, TestClock.Create(), loggerFactory);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());
        listener.Stop();

        Assert.Contains("(after 3 attempts)", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(3, Volatile.Read(ref connections));
        Assert.Equal(2, logs.CountOf(Log.EventIds.RetryingTokenRequest));
        Assert.DoesNotContain(Harness.ClientSecret, ex.ToString(), StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => dropping); // the accept loop ends when the listener stops
    }

    [Fact]
    public async Task RequestToken_InvalidUtf8_ThrowsTypedException()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(200, "application/json", string.Empty)
        {
            BodyBytes = [.. "{\"access_token\":\"ab"u8, 0xC3, 0x28, .. "\",\"expires_in\":60}"u8],
        };

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains("not valid UTF-8 JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_RedirectAnswer_NotFollowedSoCredentialsStayPut()
    {
        await using Harness h = await Harness.StartAsync(configure: o => o.ClientAuthentication = ClientAuthenticationStyle.RequestBody);
        string elsewhere = new Uri(h.Server.BaseAddress, "/capture?x=1").AbsoluteUri;
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(307, null, string.Empty) { Headers = new Dictionary<string, string> { ["Location"] = elsewhere } };

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains($"with a redirect to {h.Server.BaseAddress}capture, which is not followed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.ApiRequestCount);
    }

    [Fact]
    public async Task RequestToken_ErrorDescriptionEchoesBasicHeader_Redacted()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (request, _) => TokenReply.Json(401, "{\"error\":\"invalid_client\",\"error_description\":\"rejected " + request.Authorization + "\"}");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("rejected Basic ***", ex.ErrorDescription);
        h.AssertNoSecrets(ex.ToString());
    }

    [Fact]
    public async Task RequestToken_ErrorDescriptionEchoesClientAssertion_RedactedInExceptionAndLogs()
    {
        const string hmacKey = "an-hmac-key-that-is-at-least-32-bytes";
        using var stub = StubTokenEndpoint.Start(o => { o.ClientSecret = hmacKey; o.ClientAuthentication = ClientAuthenticationStyle.ClientSecretJwt; });
        stub.Respond(WireMock.ResponseBuilders.Response.Create()
            .WithStatusCode(401)
            .WithHeader("Content-Type", "application/json")
            .WithBody("{\"error\":\"invalid_client\",\"error_description\":\"you sent {{{request.body}}}\"}")
            .WithTransformer());

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => stub.Provider.GetTokenAsync().AsTask());

        Assert.Contains("client_assertion=***", ex.ErrorDescription, StringComparison.Ordinal);
        stub.AssertNoSecrets(ex.ToString(), hmacKey);
        stub.AssertNoSecrets(stub.Logs.AllText(), hmacKey);
    }

    [Fact]
    public async Task RequestToken_OversizedResponse_RejectedWithoutReadingItAll()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => TokenReply.Json(200, "{\"access_token\":\"" + new string('a', 200_000) + "\"}");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains("larger than the 64 KiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_ErrorDescriptionEchoesSecret_SecretRedacted()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => TokenReply.Json(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret " + Harness.ClientSecret.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"}");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("bad secret ***", ex.ErrorDescription);
        h.AssertNoSecrets(ex.ToString());
    }

    [Theory]
    [InlineData("{\"access_token\":\"t1\",\"token_type\":\"bearer\",\"expires_in\":\"3600\"}", 3600)]
    [InlineData("{\"access_token\":\"t1\",\"token_type\":\"BEARER\",\"expires_in\":120.0}", 120)]
    [InlineData("{\"access_token\":\"t1\",\"expires_in\":60,\"extra\":{\"nested\":[1,2]}}", 60)]
    [InlineData("\uFEFF {\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"a b\"}", 3600)]
    [InlineData("{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":900}", 900, "text/html")]
    [InlineData("{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":\" 600 \"}", 600, "text/plain")]
    public async Task RequestToken_TolerableVariations_Accepted(string body, int lifetimeSeconds, string contentType = "application/json")
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(200, contentType, body);

        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.Equal("t1", token.Value);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(lifetimeSeconds), token.ExpiresAt);
    }

    [Fact]
    public async Task RequestToken_DefaultBasic_EncodesIdAndSecretPerRfc6749()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.BasicFormEncoded });

        await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("test-client:S3cr3t-p%40ss%3Aw%2Frd%2B%25%26%3D"));
        Assert.Equal(expected, request.Authorization);
        Assert.Equal("grant_type=client_credentials", request.BodyText);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
    }

    [Fact]
    public async Task RequestToken_RawBasic_SendsIdColonSecretUnencoded()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.BasicRaw },
            o => o.ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw);

        await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("test-client:S3cr3t-p@ss:w/rd+%&=")), request.Authorization);
    }

    [Fact]
    public async Task RequestToken_RawBasicAgainstRfcServer_RefusedWithInvalidClient()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.BasicFormEncoded },
            o => o.ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", ex.Error);
    }

    [Fact]
    public async Task RequestToken_CredentialsInFormBody_SentAsFieldsWithoutAuthorizationHeader()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.FormBody },
            o =>
            {
                o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
                o.Scope = "orders read";
                o.AdditionalParameters["audience"] = "https://api.example.com";
            });

        OAuth2Token token = await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Null(request.Authorization);
        Assert.Equal(
            "grant_type=client_credentials&client_id=test-client&client_secret=S3cr3t-p%40ss%3Aw%2Frd%2B%25%26%3D&scope=orders+read&audience=https%3A%2F%2Fapi.example.com",
            request.BodyText);
        Assert.Equal("orders read", token.Scope);
        Assert.Equal("orders read", h.Server.ScopeOf(token.Value));
    }

    [Fact]
    public async Task RequestToken_CredentialsInJsonBody_SentAsJsonObject()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.JsonBody, Body = RequiredBody.Json },
            o =>
            {
                o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
                o.RequestFormat = TokenRequestFormat.Json;
            });

        await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"grant_type\":\"client_credentials\",\"client_id\":\"test-client\",\"client_secret\":\"S3cr3t-p@ss:w/rd\\u002B%\\u0026=\"}", request.BodyText);
    }
}
