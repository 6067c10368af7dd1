using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Time.Testing;
using OAuth2Client.Caching;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Endpoint;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Grants;

public sealed class ClientCredentialsTokenProviderTests
{
    [Fact]
    public async Task GetTokenAsync_BeforeRefreshPoint_ReusesToken()
    {
        await using Harness h = await Harness.StartAsync();
        OAuth2Token first = await h.Provider.GetTokenAsync();

        h.Time.Advance(TimeSpan.FromSeconds(3600 - 60 - 1));
        OAuth2Token second = await h.Provider.GetTokenAsync();

        Assert.Same(first, second);
        Assert.Equal(1, h.Server.TokenRequestCount);
        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromSeconds(61), first.ExpiresAt);
    }

    [Fact]
    public async Task GetTokenAsync_InRefreshWindow_ServesCurrentTokenAndRenewsInBackground()
    {
        await using Harness h = await Harness.StartAsync();
        OAuth2Token first = await h.Provider.GetTokenAsync();

        // The refresh point is 60 s before expiry, moved later by up to a fifth of the window (12 s) of jitter.
        h.Time.Advance(TimeSpan.FromSeconds(3600 - 60 + 12));
        OAuth2Token during = await h.Provider.GetTokenAsync();
        await Eventually.WaitUntilAsync(() => h.Server.TokenRequestCount == 2 && h.Provider.Source.Current?.Token != first);
        OAuth2Token after = await h.Provider.GetTokenAsync();

        Assert.Same(first, during);
        Assert.NotEqual(first.Value, after.Value);
        Assert.True(h.Server.IsValid(after.Value));
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task GetTokenAsync_PastUsableEnd_WaitsForNewToken()
    {
        await using Harness h = await Harness.StartAsync();
        OAuth2Token first = await h.Provider.GetTokenAsync();

        h.Time.Advance(TimeSpan.FromSeconds(3600 - 4)); // a token is not sent in its last 5 s
        OAuth2Token second = await h.Provider.GetTokenAsync();

        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task GetTokenAsync_ShortLivedToken_IsReusedForThreeQuartersOfItsLife()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenLifetimeSeconds = 30;
        await h.Provider.GetTokenAsync();

        // The 60 s buffer would make a 30 s token stale at birth; capped at a quarter of the lifetime (7.5 s).
        for (int i = 0; i < 22; i++)
        {
            await h.Provider.GetTokenAsync();
            h.Time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, h.Server.TokenRequestCount);
        h.Time.Advance(TimeSpan.FromSeconds(2)); // past the refresh point at 22.5 s plus up to 1.5 s of jitter
        await h.Provider.GetTokenAsync();
        await Eventually.WaitUntilAsync(() => h.Server.TokenRequestCount == 2);
    }

    [Fact]
    public async Task GetTokenAsync_CustomRefreshBuffer_IsHonoured()
    {
        await using Harness h = await Harness.StartAsync(configure: o => o.RefreshBeforeExpiry = TimeSpan.FromMinutes(5));
        await h.Provider.GetTokenAsync();

        h.Time.Advance(TimeSpan.FromSeconds(3600 - 301));
        await h.Provider.GetTokenAsync();
        Assert.Equal(1, h.Server.TokenRequestCount);

        h.Time.Advance(TimeSpan.FromSeconds(62)); // past the refresh point plus up to 60 s of jitter
        await h.Provider.GetTokenAsync();
        await Eventually.WaitUntilAsync(() => h.Server.TokenRequestCount == 2);
    }

    [Fact]
    public async Task GetTokenAsync_NoExpiresIn_UsesDefaultLifetime()
    {
        await using Harness h = await Harness.StartAsync(configure: o => o.DefaultTokenLifetime = TimeSpan.FromMinutes(10));
        h.Server.TokenLifetimeSeconds = null;

        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.Equal(h.Time.GetUtcNow() + TimeSpan.FromMinutes(10), token.ExpiresAt);
    }

    [Fact]
    public async Task GetTokenAsync_TwoHundredConcurrentCallersOnColdCache_CauseOneTokenRequest()
    {
        await using Harness h = await Harness.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.TokenResponseGate = gate.Task;
        int joined = 0;

        Task<OAuth2Token>[] callers = Enumerable.Range(0, 200).Select(_ => Task.Run(() =>
        {
            Task<OAuth2Token> call = h.Provider.GetTokenAsync().AsTask();
            Interlocked.Increment(ref joined); // the call has returned: its caller now waits on a flight (or has a token)
            return call;
        })).ToArray();
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref joined) == 200 && h.Server.TokenRequestCount == 1);

        // While the token endpoint holds its answer, every caller has asked and is waiting, and the server saw one request.
        Assert.All(callers, c => Assert.False(c.IsCompleted));
        Assert.Equal(1, h.Server.TokenRequestCount);
        gate.SetResult();
        OAuth2Token[] tokens = await Task.WhenAll(callers);

        Assert.Equal(1, h.Server.TokenRequestCount);
        Assert.All(tokens, t => Assert.Same(tokens[0], t));
    }

    [Fact]
    public async Task SendAsync_TwoHundredConcurrentRequestsAtExpiry_CauseOneTokenRequest()
    {
        await using Harness h = await Harness.StartAsync();
        var counting = new CountingTokenProvider(h.Provider);
        using var api = new HttpClient(new BearerTokenHandler(counting) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = h.Server.ApiAddress };
        using (await api.GetAsync("warm-up"))
        {
        }

        h.Time.Advance(TimeSpan.FromHours(1));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.TokenResponseGate = gate.Task;
        counting.Reset();
        Task<HttpResponseMessage>[] requests = Enumerable.Range(0, 200).Select(_ => Task.Run(() => api.GetAsync("orders"))).ToArray();
        await Eventually.WaitUntilAsync(() => counting.Returned == 200 && h.Server.TokenRequestCount == 2);

        // Every request has asked the provider and is waiting on the one refresh the server holds; none reached the API.
        Assert.All(requests, r => Assert.False(r.IsCompleted));
        Assert.Equal(2, h.Server.TokenRequestCount);
        Assert.Equal(1, h.Server.ApiRequestCount);
        gate.SetResult();
        HttpResponseMessage[] responses = await Task.WhenAll(requests);

        Assert.Equal(2, h.Server.TokenRequestCount);
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Single(h.Server.ApiRequests.Where(r => r.Path == "/api/orders").Select(r => r.Authorization).Distinct());
        Array.ForEach(responses, r => r.Dispose());
    }

    [Fact]
    public async Task GetTokenAsync_CallerCancelsDuringSharedFetch_OthersStillGetToken()
    {
        await using Harness h = await Harness.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.TokenResponseGate = gate.Task;
        using var cts = new CancellationTokenSource();

        Task<OAuth2Token> impatient = h.Provider.GetTokenAsync(cts.Token).AsTask();
        Task<OAuth2Token> patient = h.Provider.GetTokenAsync().AsTask();
        await Eventually.WaitUntilAsync(() => h.Server.TokenRequestCount == 1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        gate.SetResult();
        OAuth2Token token = await patient;
        Assert.True(h.Server.IsValid(token.Value));
        Assert.Equal(1, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task GetTokenAsync_FailedFetch_NotCachedButRetriedOnlyAfterCooldown()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, attempt) => attempt == 1 ? TokenReply.Json(503, "{\"error\":\"temporarily_unavailable\"}") : null;

        OAuth2TokenException failure = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());
        OAuth2TokenException fast = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());
        Assert.Equal(1, h.Server.TokenRequestCount);
        Assert.Same(failure, fast.InnerException);
        Assert.Equal("temporarily_unavailable", fast.Error);

        h.Time.Advance(TimeSpan.FromSeconds(3)); // past the first cool-down (2 s, ±20 %)
        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.True(h.Server.IsValid(token.Value));
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task RenewTokenAsync_RejectedTokenAlreadyReplaced_ReturnsNewerTokenWithoutRequest()
    {
        await using Harness h = await Harness.StartAsync();
        OAuth2Token old = await h.Provider.GetTokenAsync();
        OAuth2Token renewed = await h.Provider.RenewTokenAsync(old);

        OAuth2Token again = await h.Provider.RenewTokenAsync(old);

        Assert.NotSame(old, renewed);
        Assert.Same(renewed, again);
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task RenewTokenAsync_Null_ForcesRenewal()
    {
        await using Harness h = await Harness.StartAsync();
        OAuth2Token first = await h.Provider.GetTokenAsync();

        OAuth2Token second = await h.Provider.RenewTokenAsync(null);

        Assert.NotEqual(first.Value, second.Value);
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task SharedCache_SameClientSettings_ShareOneToken()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        using var cache = new MemoryCache(new MemoryCacheOptions());
        using var a = new ClientCredentialsTokenProvider(Options(server, "orders"), sharedCache: cache);
        using var b = new ClientCredentialsTokenProvider(Options(server, "orders"), sharedCache: cache);

        OAuth2Token fromA = await a.GetTokenAsync();
        OAuth2Token fromB = await b.GetTokenAsync();

        Assert.Equal(fromA.Value, fromB.Value);
        Assert.Equal(1, server.TokenRequestCount);
    }

    /// <summary>
    /// Regression: the shared cache's entry expiry was an absolute instant from the provider's clock, compared by the
    /// cache with its own (system) clock, so a provider clock running behind real time stored nothing.
    /// </summary>
    [Theory]
    [InlineData(-3650)]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(3650)]
    public async Task SharedCache_ProviderClockOffsetFromCacheClock_StillShares(int offsetDays)
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        using var cache = new MemoryCache(new MemoryCacheOptions());
        FakeTimeProvider time = TestClock.Create(TimeSpan.FromDays(offsetDays));
        using var a = new ClientCredentialsTokenProvider(Options(server, "orders"), timeProvider: time, sharedCache: cache);
        using var b = new ClientCredentialsTokenProvider(Options(server, "orders"), timeProvider: time, sharedCache: cache);

        OAuth2Token fromA = await a.GetTokenAsync();
        OAuth2Token fromB = await b.GetTokenAsync();

        Assert.Equal(1, cache.Count);
        Assert.Equal(fromA.Value, fromB.Value);
        Assert.Equal(1, server.TokenRequestCount);
    }

    [Fact]
    public async Task SharedCache_DifferentScopeOrParameters_NeverShareTokens()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        using var cache = new MemoryCache(new MemoryCacheOptions());
        OAuth2ClientOptions withAudience = Options(server, "orders");
        withAudience.AdditionalParameters["audience"] = "billing";
        using var orders = new ClientCredentialsTokenProvider(Options(server, "orders"), sharedCache: cache);
        using var invoices = new ClientCredentialsTokenProvider(Options(server, "invoices"), sharedCache: cache);
        using var audience = new ClientCredentialsTokenProvider(withAudience, sharedCache: cache);

        string[] values = [(await orders.GetTokenAsync()).Value, (await invoices.GetTokenAsync()).Value, (await audience.GetTokenAsync()).Value];

        Assert.Equal(3, values.Distinct().Count());
        Assert.Equal(3, server.TokenRequestCount);
        Assert.Equal("invoices", server.ScopeOf(values[1]));
    }

    [Fact]
    public async Task SharedCache_SameClientIdWrongSecret_DoesNotGetTheOtherClientsToken()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        using var cache = new MemoryCache(new MemoryCacheOptions());
        OAuth2ClientOptions wrong = Options(server, null);
        wrong.ClientSecret = "not-the-secret";
        using var good = new ClientCredentialsTokenProvider(Options(server, null), sharedCache: cache);
        using var bad = new ClientCredentialsTokenProvider(wrong, sharedCache: cache);

        await good.GetTokenAsync();
        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => bad.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", ex.Error);
        Assert.Equal(2, server.TokenRequestCount);
#if NET9_0_OR_GREATER
        Assert.All(cache.Keys, k => Assert.DoesNotContain(Harness.ClientSecret, k.ToString(), StringComparison.Ordinal));
#endif
    }

    [Fact]
    public async Task SharedCache_WithSizeLimit_TokenStillObtainedAndShared()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        using var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 100 });
        using var a = new ClientCredentialsTokenProvider(Options(server, null), sharedCache: cache);
        using var b = new ClientCredentialsTokenProvider(Options(server, null), sharedCache: cache);

        OAuth2Token fromA = await a.GetTokenAsync();
        OAuth2Token fromB = await b.GetTokenAsync();

        Assert.Equal(fromA.Value, fromB.Value);
        Assert.Equal(1, server.TokenRequestCount);
    }

    [Fact]
    public async Task InternalRecords_ToString_NeverShowTokenOrRefreshToken()
    {
        await using Harness h = await Harness.StartAsync();
        await h.Provider.GetTokenAsync();
        CachedToken entry = h.Provider.Source.Current!;
        var response = new TokenResponse(entry.Token, "RT-very-secret", h.Time.GetUtcNow());

        string text = entry + " " + response;

        Assert.DoesNotContain("RT-very-secret", text, StringComparison.Ordinal);
        h.AssertNoSecrets(text);
    }

    [Fact]
    public async Task GetTokenAsync_TransientFailures_RetriedThenSucceeds()
    {
        await using Harness h = await Harness.StartAsync(configure: o =>
        {
            o.MaxTokenRequestRetries = 2;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        h.Server.TokenReplyOverride = (_, attempt) => attempt switch
        {
            1 => TokenReply.Json(500, "{}"),
            2 => new TokenReply(429, null, string.Empty) { Headers = new Dictionary<string, string> { ["Retry-After"] = "0" } },
            _ => null,
        };

        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.True(h.Server.IsValid(token.Value));
        Assert.Equal(3, h.Server.TokenRequestCount);
        Assert.Equal(2, h.Logs.CountOf(Log.EventIds.RetryingTokenRequest));
    }

    [Fact]
    public async Task GetTokenAsync_PermanentErrors_NotRetried()
    {
        await using Harness h = await Harness.StartAsync(configure: o =>
        {
            o.MaxTokenRequestRetries = 2;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
            o.ClientSecret = "wrong";
        });

        await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal(1, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task GetTokenAsync_EndpointTooSlow_TimesOutWithTypedException()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        server.TokenResponseGate = new TaskCompletionSource().Task; // never answers
        OAuth2ClientOptions options = Options(server, null);
        options.TokenRequestTimeout = TimeSpan.FromMilliseconds(200);
        options.MaxTokenRequestRetries = 0;
        using var provider = new ClientCredentialsTokenProvider(options);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());

        Assert.Contains("did not answer within 0.2 s", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.StatusCode);
    }

    [Fact]
    public async Task GetTokenAsync_EndpointUnreachable_TypedExceptionNamesEndpoint()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("http://127.0.0.1:9/token"), ClientId = "a", ClientSecret = "b", MaxTokenRequestRetries = 0 };
        using var provider = new ClientCredentialsTokenProvider(options);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());

        Assert.Contains("http://127.0.0.1:9/token could not be reached", ex.Message, StringComparison.Ordinal);
        Assert.IsType<HttpRequestException>(ex.InnerException);
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryProblem()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("/token", UriKind.Relative), RefreshBeforeExpiry = TimeSpan.FromSeconds(-1) };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => new ClientCredentialsTokenProvider(options));

        Assert.Contains("TokenEndpoint must be an absolute URI", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClientId is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ClientSecret is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("RefreshBeforeExpiry must not be negative", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NamesClientButNoSecret()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("https://idp.example.com/token?x=1"), ClientId = "orders-app", ClientSecret = Harness.ClientSecret };
        using var provider = new ClientCredentialsTokenProvider(options);

        string text = provider.ToString();

        Assert.Contains("orders-app", text, StringComparison.Ordinal);
        Assert.Contains("https://idp.example.com/token", text, StringComparison.Ordinal);
        Assert.DoesNotContain("x=1", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Harness.ClientSecret, text, StringComparison.Ordinal);
    }

    private static OAuth2ClientOptions Options(EmulatedOAuthServer server, string? scope) => new()
    {
        TokenEndpoint = server.TokenEndpoint,
        ClientId = Harness.ClientId,
        ClientSecret = Harness.ClientSecret,
        Scope = scope,
    };

    /// <summary>Counts calls to the provider that have returned (a pending call has joined a flight).</summary>
    private sealed class CountingTokenProvider(IOAuth2TokenProvider inner) : IOAuth2TokenProvider
    {
        private int _returned;

        public int Returned => Volatile.Read(ref _returned);

        public void Reset() => Volatile.Write(ref _returned, 0);

        public ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken = default)
        {
            ValueTask<OAuth2Token> call = inner.GetTokenAsync(cancellationToken);
            Interlocked.Increment(ref _returned);
            return call;
        }

        public ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejectedToken, CancellationToken cancellationToken = default)
            => inner.RenewTokenAsync(rejectedToken, cancellationToken);
    }
}
