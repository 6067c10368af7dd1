using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OAuth2Client.Caching;
using OAuth2Client.Diagnostics;
using OAuth2Client.Endpoint;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Caching;

/// <summary>
/// The token source directly: a scripted fetch delegate whose answers the test releases, a fake clock, no HTTP.
/// </summary>
public sealed class TokenSourceTests : IDisposable
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly ScriptedFetch _fetch = new();
    private readonly MemoryCache _cache = new(new MemoryCacheOptions());

    public void Dispose() => _cache.Dispose();

    [Theory]
    [InlineData(-60, 2)] // expired a minute ago: every call fetches
    [InlineData(3600, 1)] // fresh for an hour: fetched once
    [InlineData(30, 2)] // inside the 60 s refresh buffer (capped at a quarter of the lifetime): stale
    public async Task GetTokenAsync_SystemClock_FreshnessFollowsExpiry(int expiresInSeconds, int expectedFetches)
    {
        // The system clock takes a monotonic fast path; this pins its freshness decisions without waiting.
        int fetches = 0;
        DateTimeOffset issuedAt = TimeProvider.System.GetUtcNow().AddSeconds(expiresInSeconds < 0 ? -120 : -1000);
        using var source = new TokenSource(
            (_, _) =>
            {
                Interlocked.Increment(ref fetches);
                DateTimeOffset now = TimeProvider.System.GetUtcNow();
                var token = new OAuth2Token("t" + fetches, now.AddSeconds(expiresInSeconds));
                return Task.FromResult(new TokenResponse(token, null, issuedAt));
            },
            TimeProvider.System,
            ClassicLifecycle,
            sharedCache: null,
            "key",
            "client",
            NullLogger.Instance);

        await source.GetTokenAsync(CancellationToken.None);
        await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(expectedFetches, fetches);
    }

    [Fact]
    public async Task GetTokenAsync_FakeClock_ReusedUntilRefreshPointThenFetchedAgain()
    {
        using TokenSource source = CreateSource();
        Task<OAuth2Token> first = source.GetTokenAsync(CancellationToken.None).AsTask();
        _fetch.Complete(0, Response("t1"));
        OAuth2Token t1 = await first;

        _time.Advance(TimeSpan.FromSeconds(3600 - 60 - 1));
        Assert.Same(t1, await source.GetTokenAsync(CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Task<OAuth2Token> second = source.GetTokenAsync(CancellationToken.None).AsTask();
        _fetch.Complete(1, Response("t2"));

        Assert.Equal("t2", (await second).Value);
        Assert.Equal(2, _fetch.Calls);
    }

    [Fact]
    public async Task GetTokenAsync_ConcurrentCallers_OneFetchAndAllPendingUntilItCompletes()
    {
        using TokenSource source = CreateSource();
        int joined = 0;

        Task<OAuth2Token>[] callers = Enumerable.Range(0, 100).Select(_ => Task.Run(() =>
        {
            Task<OAuth2Token> call = source.GetTokenAsync(CancellationToken.None).AsTask();
            Interlocked.Increment(ref joined);
            return call;
        })).ToArray();
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref joined) == 100);

        Assert.Equal(1, _fetch.Calls);
        Assert.All(callers, c => Assert.False(c.IsCompleted));
        Assert.Null(source.Current);
        _fetch.Complete(0, Response("shared"));
        OAuth2Token[] tokens = await Task.WhenAll(callers);

        Assert.All(tokens, t => Assert.Same(tokens[0], t));
        Assert.Same(tokens[0], source.Current!.Token);
        Assert.Equal(1, _fetch.Calls);
    }

    [Fact]
    public async Task GetTokenAsync_OneCallerCancels_OnlyItsWaitStops()
    {
        using TokenSource source = CreateSource();
        using var impatientCancellation = new CancellationTokenSource();

        Task<OAuth2Token> impatient = source.GetTokenAsync(impatientCancellation.Token).AsTask();
        Task<OAuth2Token> patient = source.GetTokenAsync(CancellationToken.None).AsTask();
        await impatientCancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient);
        Assert.False(patient.IsCompleted);
        Assert.False(_fetch.TokenOf(0).IsCancellationRequested); // the fetch goes on for the others
        _fetch.Complete(0, Response("t1"));
        Assert.Equal("t1", (await patient).Value);
        Assert.Equal(1, _fetch.Calls);
    }

    [Fact]
    public async Task GetTokenAsync_FetchFails_EveryWaiterGetsTheErrorAndNothingIsCached()
    {
        using TokenSource source = CreateSource();
        var refused = new InvalidOperationException("refused");

        Task<OAuth2Token> a = source.GetTokenAsync(CancellationToken.None).AsTask();
        Task<OAuth2Token> b = source.GetTokenAsync(CancellationToken.None).AsTask();
        _fetch.Fail(0, refused);

        Assert.Same(refused, await Assert.ThrowsAsync<InvalidOperationException>(() => a));
        Assert.Same(refused, await Assert.ThrowsAsync<InvalidOperationException>(() => b));
        Assert.Null(source.Current);
        Task<OAuth2Token> retry = source.GetTokenAsync(CancellationToken.None).AsTask();
        Assert.Equal(2, _fetch.Calls); // the next call fetches again: the failure was not cached
        _fetch.Complete(1, Response("t1"));
        Assert.Equal("t1", (await retry).Value);
    }

    [Fact]
    public async Task RenewTokenAsync_RejectedTokenAlreadyReplaced_ReturnsCurrentWithoutFetch()
    {
        using TokenSource source = CreateSource();
        OAuth2Token old = await Fetched(source.GetTokenAsync(CancellationToken.None), 0, "old");

        // Two callers reject the same token at once: one renewal.
        Task<OAuth2Token> first = source.RenewTokenAsync(old, CancellationToken.None).AsTask();
        Task<OAuth2Token> second = source.RenewTokenAsync(old, CancellationToken.None).AsTask();
        Assert.Equal(2, _fetch.Calls);
        _fetch.Complete(1, Response("renewed"));
        OAuth2Token renewed = await first;
        Assert.Same(renewed, await second);

        // A third caller that still holds the old token is handed the renewed one without a fetch.
        OAuth2Token late = await source.RenewTokenAsync(old, CancellationToken.None);

        Assert.Same(renewed, late);
        Assert.Equal(2, _fetch.Calls);
    }

    [Fact]
    public async Task RenewTokenAsync_Null_ForcesFetchEvenWhenFresh()
    {
        using TokenSource source = CreateSource();
        OAuth2Token first = await Fetched(source.GetTokenAsync(CancellationToken.None), 0, "t1");

        Task<OAuth2Token> forced = source.RenewTokenAsync(null, CancellationToken.None).AsTask();

        Assert.Equal(2, _fetch.Calls);
        _fetch.Complete(1, Response("t2"));
        Assert.NotSame(first, await forced);
        Assert.Equal("t2", source.Current!.Token.Value);
    }

    [Fact]
    public async Task ReplaceAsync_RenewalStillInFlight_ItsCallersWaitForAndGetTheReplacingToken()
    {
        using TokenSource source = CreateSource();
        Task<OAuth2Token> renewal = source.GetTokenAsync(CancellationToken.None).AsTask();
        var signIn = new ScriptedFetch();

        Task<OAuth2Token> replacing = source.ReplaceAsync(signIn.Fetch, CancellationToken.None);
        _fetch.Complete(0, Response("older-flight"));

        Assert.False(renewal.IsCompleted); // the older flight has its answer but yields to the newer one
        Assert.Null(source.Current);
        signIn.Complete(0, Response("signed-in"));
        OAuth2Token signedIn = await replacing;

        Assert.Equal("signed-in", signedIn.Value);
        Assert.Same(signedIn, await renewal);
        Assert.Same(signedIn, source.Current!.Token);
        Assert.Same(signedIn, await source.GetTokenAsync(CancellationToken.None));
        Assert.Equal(1, _fetch.Calls);
    }

    [Fact]
    public async Task ReplaceAsync_RenewalCompletesAfterReplacement_OlderResultNeverBecomesCurrent()
    {
        using TokenSource source = CreateSource();
        Task<OAuth2Token> renewal = source.GetTokenAsync(CancellationToken.None).AsTask();
        var signIn = new ScriptedFetch();

        Task<OAuth2Token> replacing = source.ReplaceAsync(signIn.Fetch, CancellationToken.None);
        signIn.Complete(0, Response("signed-in"));
        OAuth2Token signedIn = await replacing;
        _fetch.Complete(0, Response("older-flight"));

        Assert.Same(signedIn, await renewal);
        Assert.Same(signedIn, source.Current!.Token);
        Assert.Same(signedIn, await source.GetTokenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReplaceAsync_Refused_OlderFlightsCallersKeepTheirOwnToken()
    {
        using TokenSource source = CreateSource();
        Task<OAuth2Token> renewal = source.GetTokenAsync(CancellationToken.None).AsTask();
        var signIn = new ScriptedFetch();

        Task<OAuth2Token> replacing = source.ReplaceAsync(signIn.Fetch, CancellationToken.None);
        _fetch.Complete(0, Response("older-flight"));
        signIn.Fail(0, new InvalidOperationException("sign-in refused"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => replacing);
        Assert.Equal("older-flight", (await renewal).Value);
    }

    /// <summary>
    /// Regression: a flight superseded by a sign-in that then failed handed its callers the stale current token, and the
    /// token it had fetched never became current.
    /// </summary>
    [Fact]
    public async Task ReplaceAsync_RefusedWhileStaleTokenIsCurrent_OlderFlightsCallersGetTheFetchedToken()
    {
        using TokenSource source = CreateSource();
        await Fetched(source.GetTokenAsync(CancellationToken.None), 0, "stale");
        _time.Advance(TimeSpan.FromHours(2));
        Task<OAuth2Token> renewal = source.GetTokenAsync(CancellationToken.None).AsTask();
        var signIn = new ScriptedFetch();
        Task<OAuth2Token> replacing = source.ReplaceAsync(signIn.Fetch, CancellationToken.None);
        signIn.Fail(0, new InvalidOperationException("sign-in refused"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => replacing);
        _fetch.Complete(1, Response("fresh"));

        Assert.Equal("fresh", (await renewal).Value);
        Assert.Equal("fresh", source.Current?.Token.Value);
    }

    [Fact]
    public async Task SharedCache_TokenStoredByAnotherSource_UsedWithoutFetch()
    {
        var logs = new FakeLogCollector();
        using TokenSource first = CreateSource(new MemorySharedTokenCache(_cache));
        var secondFetch = new ScriptedFetch();
        using TokenSource second = CreateSource(new MemorySharedTokenCache(_cache), secondFetch, new FakeLogger(logs));
        OAuth2Token stored = await Fetched(first.GetTokenAsync(CancellationToken.None), 0, "shared");

        OAuth2Token fromCache = await second.GetTokenAsync(CancellationToken.None);

        Assert.Same(stored, fromCache);
        Assert.Equal(0, secondFetch.Calls);
        Assert.Equal(1, logs.CountOf(Log.EventIds.TokenFromSharedCache));
    }

    [Fact]
    public async Task SharedCache_RejectedToken_EvictedAndRenewalSharedBack()
    {
        using TokenSource first = CreateSource(new MemorySharedTokenCache(_cache));
        var secondFetch = new ScriptedFetch();
        using TokenSource second = CreateSource(new MemorySharedTokenCache(_cache), secondFetch);
        OAuth2Token rejected = await Fetched(first.GetTokenAsync(CancellationToken.None), 0, "rejected");
        Assert.Same(rejected, await second.GetTokenAsync(CancellationToken.None));

        // The API refused the shared token: the second source must not be handed it back by the cache.
        Task<OAuth2Token> renewal = second.RenewTokenAsync(rejected, CancellationToken.None).AsTask();
        Assert.Equal(1, secondFetch.Calls);
        secondFetch.Complete(0, Response("renewed"));
        OAuth2Token renewed = await renewal;

        Assert.Same(renewed, ((CachedToken)_cache.Get("key")!).Token);

        // The first source, rejecting the same token later, picks up the renewal from the cache without a fetch.
        Assert.Same(renewed, await first.RenewTokenAsync(rejected, CancellationToken.None));
        Assert.Equal(1, _fetch.Calls);
    }

    [Fact]
    public async Task Dispose_FetchInFlight_CancelsItAndLaterAcquisitionsThrowObjectDisposed()
    {
        TokenSource source = CreateSource();
        Task<OAuth2Token> pending = source.GetTokenAsync(CancellationToken.None).AsTask();
        CancellationToken fetchToken = _fetch.TokenOf(0);

        source.Dispose();

        Assert.True(fetchToken.IsCancellationRequested);
        _fetch.Cancel(0);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending); // not a cancellation the caller never asked for
        await Assert.ThrowsAsync<ObjectDisposedException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Dispose_AfterTokenObtained_FreshTokenStillReturned()
    {
        TokenSource source = CreateSource();
        OAuth2Token token = await Fetched(source.GetTokenAsync(CancellationToken.None), 0, "t1");

        source.Dispose();

        Assert.Same(token, await source.GetTokenAsync(CancellationToken.None));
    }

    private TokenSource CreateSource(ISharedTokenCache? sharedCache = null, ScriptedFetch? fetch = null, Microsoft.Extensions.Logging.ILogger? logger = null)
        => new((_, ct) => (fetch ?? _fetch).Fetch(ct), _time, ClassicLifecycle, sharedCache, "key", "client", logger ?? NullLogger.Instance);

    /// <summary>
    /// The lifecycle these tests pin: renewal at the refresh point with callers waiting, no cool-down after a failure,
    /// no minimum age for a renewal, no jitter. Refresh-ahead, the cool-down and the minimum age have their own tests
    /// (<see cref="TokenSourceLifecycleTests"/>).
    /// </summary>
    private static TokenLifecycle ClassicLifecycle => new(TimeSpan.FromSeconds(60), refreshAhead: false, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero) { Random = () => 0 };

    private TokenResponse Response(string value, int lifetimeSeconds = 3600)
        => new(new OAuth2Token(value, _time.GetUtcNow().AddSeconds(lifetimeSeconds)), null, _time.GetUtcNow());

    private async Task<OAuth2Token> Fetched(ValueTask<OAuth2Token> call, int fetchIndex, string value)
    {
        Task<OAuth2Token> pending = call.AsTask();
        _fetch.Complete(fetchIndex, Response(value));
        return await pending;
    }

    /// <summary>
    /// A fetch delegate whose calls stay pending until the test completes, fails or cancels them. Continuations run
    /// inline: when <see cref="Complete"/> returns, the source's flight has already handled the answer (callers still
    /// resume asynchronously, as the source arranges), so a test can assert what the flight did with it.
    /// </summary>
    private sealed class ScriptedFetch
    {
        private readonly ConcurrentDictionary<int, (TaskCompletionSource<TokenResponse> Answer, CancellationToken Token)> _calls = new();
        private int _count;

        public int Calls => Volatile.Read(ref _count);

        public Func<CancellationToken, Task<TokenResponse>> Fetch => cancellationToken =>
        {
            int index = Interlocked.Increment(ref _count) - 1;
            var answer = new TaskCompletionSource<TokenResponse>();
            _calls[index] = (answer, cancellationToken);
            return answer.Task;
        };

        public CancellationToken TokenOf(int index) => Call(index).Token;

        public void Complete(int index, TokenResponse response) => Call(index).Answer.SetResult(response);

        public void Fail(int index, Exception exception) => Call(index).Answer.SetException(exception);

        public void Cancel(int index) => Call(index).Answer.SetCanceled(Call(index).Token);

        private (TaskCompletionSource<TokenResponse> Answer, CancellationToken Token) Call(int index)
            => _calls.TryGetValue(index, out var call) ? call : throw new InvalidOperationException($"fetch #{index} was not called (calls: {Calls})");
    }
}
