using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OAuth2Client.Caching;
using OAuth2Client.Endpoint;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Caching;

/// <summary>
/// The token lifecycle of <see cref="TokenSource"/> on a fake clock with a scripted fetch: refresh-ahead,
/// stale-while-revalidate, the failure cool-down, the minimum age for a 401 renewal, and the suspend-safe fast path.
/// Tokens live 100 s: the refresh window starts at 77.5 s (a quarter of the lifetime, jitter pinned to the middle) and the token
/// is usable until 95 s (expiry less a twentieth of the lifetime).
/// </summary>
public sealed class TokenSourceLifecycleTests : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(100);
    private static readonly TimeSpan InWindow = TimeSpan.FromSeconds(80);
    private static readonly TimeSpan PastUsable = TimeSpan.FromSeconds(96);

    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly List<bool> _fetches = [];
    private readonly object _gate = new();
    private Func<int, Task<TokenResponse>>? _next;
    private TokenSource? _source;

    public void Dispose() => _source?.Dispose();

    [Fact]
    public async Task RefreshAhead_InWindow_ServesCurrentTokenAndRenewsOnceInBackground()
    {
        TokenSource source = Create(refreshAhead: true);
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);
        var held = new TaskCompletionSource<TokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _next = _ => held.Task;
        _time.Advance(InWindow);

        ValueTask<OAuth2Token>[] calls = [.. Enumerable.Range(0, 20).Select(_ => source.GetTokenAsync(CancellationToken.None))];

        Assert.All(calls, c => Assert.True(c.IsCompletedSuccessfully, "a caller waited for the token endpoint"));
        Assert.All(calls, c => Assert.Same(first, c.Result));
        await Eventually.WaitUntilAsync(() => Fetches().Length == 2); // started on the thread pool
        Assert.Equal([true, false], Fetches()); // the background renewal asks once, without retries
        held.SetResult(Issue("second"));
        await Eventually.WaitUntilAsync(() => source.Current?.Token.Value == "second");
        Assert.Equal("second", (await source.GetTokenAsync(CancellationToken.None)).Value);
        Assert.Equal(2, Fetches().Length);
    }

    [Fact]
    public async Task RefreshAheadOff_InWindow_CallersWaitForRenewal()
    {
        TokenSource source = Create(refreshAhead: false);
        await source.GetTokenAsync(CancellationToken.None);
        var held = new TaskCompletionSource<TokenResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _next = _ => held.Task;
        _time.Advance(InWindow);

        ValueTask<OAuth2Token> waiting = source.GetTokenAsync(CancellationToken.None);

        Assert.False(waiting.IsCompleted);
        held.SetResult(Issue("second"));
        Assert.Equal("second", (await waiting).Value);
    }

    [Fact]
    public async Task StaleWhileRevalidate_RenewalFails_KeepsServingUntilUnusableThenTypedError()
    {
        TokenSource source = Create(refreshAhead: true);
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);
        _next = _ => Task.FromException<TokenResponse>(Outage());
        _time.Advance(InWindow);

        OAuth2Token during = await source.GetTokenAsync(CancellationToken.None);
        await Eventually.WaitUntilAsync(() => source.Failure is not null);
        OAuth2Token afterFailure = await source.GetTokenAsync(CancellationToken.None);

        Assert.Same(first, during);
        Assert.Same(first, afterFailure);
        Assert.Equal(2, Fetches().Length); // inside the cool-down, no second background attempt

        _time.Advance(TimeSpan.FromSeconds(2.5)); // past the first cool-down (2 s, jitter pinned to ×1)
        Assert.Same(first, await source.GetTokenAsync(CancellationToken.None));
        await Eventually.WaitUntilAsync(() => source.Failure?.ConsecutiveFailures == 2);
        Assert.Equal(3, Fetches().Length);

        _time.Advance(PastUsable - InWindow);
        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
        Assert.Contains("unavailable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cooldown_NoUsableToken_FailsFastThenOneProbeAndSuccessCloses()
    {
        TokenSource source = Create(refreshAhead: true);
        _next = _ => Task.FromException<TokenResponse>(Outage());

        OAuth2TokenException first = await Assert.ThrowsAsync<OAuth2TokenException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
        ValueTask<OAuth2Token>[] duringCooldown = [.. Enumerable.Range(0, 50).Select(_ => source.GetTokenAsync(CancellationToken.None))];

        Assert.Equal([true], Fetches()); // the first request after success may retry
        Assert.All(duringCooldown, c => Assert.True(c.IsFaulted, "a caller waited during the cool-down"));
        OAuth2TokenException fast = await Assert.ThrowsAsync<OAuth2TokenException>(() => duringCooldown[0].AsTask());
        Assert.Contains("the next attempt is at", fast.Message, StringComparison.Ordinal);
        Assert.Same(first, fast.InnerException);
        Assert.Equal(first.StatusCode, fast.StatusCode);

        _time.Advance(TimeSpan.FromSeconds(2.5));
        await Assert.ThrowsAsync<OAuth2TokenException>(() => source.GetTokenAsync(CancellationToken.None).AsTask());
        Assert.Equal([true, false], Fetches()); // one probe, a single attempt
        Assert.Equal(2, source.Failure!.ConsecutiveFailures);

        _next = _ => Task.FromResult(Issue("back"));
        _time.Advance(TimeSpan.FromSeconds(4.5)); // the second cool-down is 4 s
        Assert.Equal("back", (await source.GetTokenAsync(CancellationToken.None)).Value);
        Assert.Null(source.Failure);
        Assert.Equal("back", (await source.GetTokenAsync(CancellationToken.None)).Value);
        Assert.Equal(3, Fetches().Length);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(6, 60)] // 64 s, capped
    public void Cooldown_DoublesPerFailureUpToMax(int failures, double expectedSeconds)
    {
        var lifecycle = new TokenLifecycle(TimeSpan.FromSeconds(60), true, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)) { Random = () => 0.5 };

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), lifecycle.Cooldown(failures));
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(1.0, 1.2)]
    public void Cooldown_JitterIsTwentyPercentEitherWay(double random, double factor)
    {
        var lifecycle = new TokenLifecycle(TimeSpan.FromSeconds(60), true, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)) { Random = () => random };

        Assert.Equal(TimeSpan.FromSeconds(10 * factor).TotalMilliseconds, lifecycle.Cooldown(1).TotalMilliseconds, 3);
    }

    [Fact]
    public void CreateEntry_Jitter_MovesRefreshPointLaterWithinAFifthOfTheWindow()
    {
        DateTimeOffset now = _time.GetUtcNow();
        var response = new TokenResponse(new OAuth2Token("t", now + Lifetime), null, now);
        var earliest = new TokenLifecycle(TimeSpan.FromSeconds(60), true, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)) { Random = () => 0 };
        var latest = new TokenLifecycle(TimeSpan.FromSeconds(60), true, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)) { Random = () => 1 };

        CachedToken a = earliest.CreateEntry(response, now.UtcTicks, 0);
        CachedToken b = latest.CreateEntry(response, now.UtcTicks, 0);

        Assert.Equal((now + TimeSpan.FromSeconds(75)).UtcTicks, a.RefreshAtTicks);
        Assert.Equal((now + TimeSpan.FromSeconds(80)).UtcTicks, b.RefreshAtTicks);
        Assert.Equal((now + TimeSpan.FromSeconds(95)).UtcTicks, a.UsableUntilTicks);
    }

    [Fact]
    public async Task RenewTokenAsync_RejectedTokenYoungerThanMinimumAge_ReturnsSameTokenWithoutFetch()
    {
        TokenSource source = Create(refreshAhead: true);
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(4));

        OAuth2Token again = await source.RenewTokenAsync(first, CancellationToken.None);

        Assert.Same(first, again);
        Assert.Single(Fetches());

        _time.Advance(TimeSpan.FromSeconds(1));
        OAuth2Token renewed = await source.RenewTokenAsync(first, CancellationToken.None);
        Assert.NotSame(first, renewed);
        Assert.Equal(2, Fetches().Length);
    }

    [Fact]
    public async Task RenewTokenAsync_NullForcesRenewalEvenForYoungToken()
    {
        TokenSource source = Create(refreshAhead: true);
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);

        OAuth2Token forced = await source.RenewTokenAsync(null, CancellationToken.None);

        Assert.NotSame(first, forced);
        Assert.Equal(2, Fetches().Length);
    }

    /// <summary>
    /// A suspend stops the monotonic clock but not the wall clock. The fast path trusts the monotonic clock for at most
    /// a second of its own time between wall-clock checks, so after a resume the expired token is caught within that.
    /// </summary>
    [Fact]
    public async Task FastPath_AfterSuspend_ExpiredTokenCaughtAtNextWallClockCheck()
    {
        long ticks = 1_000_000;
        TokenSource source = Create(refreshAhead: true, tickCount: () => Volatile.Read(ref ticks));
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);
        Assert.Same(first, await source.GetTokenAsync(CancellationToken.None)); // a wall-clock check happened just now

        _time.Advance(TimeSpan.FromHours(2)); // suspended two hours: the wall clock moved, the monotonic clock did not
        _next = _ => Task.FromResult(Issue("after-resume"));
        Volatile.Write(ref ticks, ticks + 1_001);

        OAuth2Token afterResume = await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal("after-resume", afterResume.Value);
        Assert.Equal(2, Fetches().Length);
    }

    [Fact]
    public async Task FastPath_MonotonicClockOnly_ServesCachedTokenWithoutReadingWallClock()
    {
        long ticks = 5_000;
        TokenSource source = Create(refreshAhead: true, tickCount: () => Volatile.Read(ref ticks));
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);
        await source.GetTokenAsync(CancellationToken.None);

        _time.Advance(TimeSpan.FromHours(2)); // only the wall clock moves: within the check interval the fast path answers

        Assert.Same(first, await source.GetTokenAsync(CancellationToken.None));
        Assert.Single(Fetches());
    }

    /// <summary>Regression: a renewal that needs a sign-in did not start the cool-down, so every call in the window started another.</summary>
    [Fact]
    public async Task BackgroundRenewal_NeedsSignIn_NotRepeatedOnEveryCall()
    {
        TokenSource source = Create(refreshAhead: true);
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);
        _next = _ => Task.FromException<TokenResponse>(new OAuth2SignInRequiredException("no refresh token"));
        _time.Advance(InWindow);

        await source.GetTokenAsync(CancellationToken.None);
        await Eventually.WaitUntilAsync(() => source.Failure is not null);
        for (int i = 0; i < 10; i++)
        {
            Assert.Same(first, await source.GetTokenAsync(CancellationToken.None));
        }

        Assert.Equal(2, Fetches().Length);
        _time.Advance(PastUsable - InWindow);
        await Assert.ThrowsAsync<OAuth2SignInRequiredException>(() => source.GetTokenAsync(CancellationToken.None).AsTask()); // still the type apps catch
    }

    /// <summary>Regression: a forced renewal discarded the current token before it knew a new one could be had.</summary>
    [Fact]
    public async Task RenewTokenAsync_ForcedRenewalFails_CurrentTokenStays()
    {
        TokenSource source = Create(refreshAhead: true);
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);
        _next = _ => Task.FromException<TokenResponse>(Outage());

        await Assert.ThrowsAsync<OAuth2TokenException>(() => source.RenewTokenAsync(null, CancellationToken.None).AsTask());

        Assert.Same(first, await source.GetTokenAsync(CancellationToken.None));
        Assert.Same(first, await source.RenewTokenAsync(null, CancellationToken.None)); // during the cool-down: no request
        Assert.Equal(2, Fetches().Length);
    }

    /// <summary>
    /// Regression: during an outage one 401 took the usable token away from every caller. The renewal fails, the
    /// rejected token is put back (the 401 may concern one resource only) and handed back, so its caller returns the 401.
    /// </summary>
    [Fact]
    public async Task RenewTokenAsync_RejectedAndRenewalFails_TokenPutBackForEveryone()
    {
        TokenSource source = Create(refreshAhead: true);
        OAuth2Token first = await source.GetTokenAsync(CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        _next = _ => Task.FromException<TokenResponse>(Outage());

        OAuth2Token afterRejection = await source.RenewTokenAsync(first, CancellationToken.None);

        Assert.Same(first, afterRejection);
        Assert.Same(first, await source.GetTokenAsync(CancellationToken.None));
        Assert.Same(first, await source.RenewTokenAsync(first, CancellationToken.None)); // declined during the cool-down
        Assert.Equal(2, Fetches().Length);
    }

    /// <summary>Regression: a renewal for the previous user that finished after a sign-in could still become current.</summary>
    [Fact]
    public async Task RenewalStartedBeforeSignIn_FinishingAfterIt_NeverBecomesCurrent()
    {
        TokenSource source = Create(refreshAhead: true);
        await source.GetTokenAsync(CancellationToken.None);
        var held = new TaskCompletionSource<TokenResponse>(); // continuations inline: SetResult runs the flight to its end
        _next = _ => held.Task;
        _time.Advance(InWindow);
        await source.GetTokenAsync(CancellationToken.None); // background renewal for the previous user
        await Eventually.WaitUntilAsync(() => Fetches().Length == 2); // it has asked, and waits for its answer
        OAuth2Token signedIn = await source.ReplaceAsync(_ => Task.FromResult(Issue("new-user")), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(6));
        _next = _ => Task.FromException<TokenResponse>(Outage());
        await source.RenewTokenAsync(signedIn, CancellationToken.None);

        held.SetResult(Issue("old-user"));

        Assert.Equal("new-user", source.Current?.Token.Value);
    }

    [Fact]
    public async Task ReplaceAsync_TwoSignIns_OlderFinishingLastDoesNotWin()
    {
        TokenSource source = Create(refreshAhead: true);
        var older = new TaskCompletionSource<TokenResponse>();
        Task<OAuth2Token> first = source.ReplaceAsync(_ => older.Task, CancellationToken.None);
        OAuth2Token second = await source.ReplaceAsync(_ => Task.FromResult(Issue("second")), CancellationToken.None);

        older.SetResult(Issue("first"));

        Assert.Equal("second", (await first).Value);
        Assert.Same(second, source.Current?.Token);
    }

    [Fact]
    public async Task ReplaceAsync_CallerCancels_ExchangeIsCanceledToo()
    {
        TokenSource source = Create(refreshAhead: true);
        var seen = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = new CancellationTokenSource();
        Task<OAuth2Token> signIn = source.ReplaceAsync(
            async ct =>
            {
                seen.SetResult(ct);
                await Task.Delay(Timeout.Infinite, ct);
                throw new InvalidOperationException("not reached");
            },
            cancel.Token);
        CancellationToken exchange = await seen.Task;

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signIn);
        Assert.True(exchange.IsCancellationRequested);
        Assert.Null(source.Current);
    }

    private TokenSource Create(bool refreshAhead, Func<long>? tickCount = null)
    {
        int issued = 0;
        _source = new TokenSource(
            (allowRetries, _) =>
            {
                int n;
                lock (_gate)
                {
                    _fetches.Add(allowRetries);
                    n = ++issued;
                }

                return _next?.Invoke(n) ?? Task.FromResult(Issue("token-" + n));
            },
            _time,
            new TokenLifecycle(TimeSpan.FromSeconds(60), refreshAhead, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)) { Random = () => 0.5 },
            sharedCache: null,
            "key",
            "client",
            NullLogger.Instance,
            tickCount);
        return _source;
    }

    private TokenResponse Issue(string value)
    {
        DateTimeOffset now = _time.GetUtcNow();
        return new TokenResponse(new OAuth2Token(value, now + Lifetime), null, now);
    }

    private static OAuth2TokenException Outage() => new("The token endpoint https://idp.example/token answered HTTP 503 (ServiceUnavailable) with an empty body: unavailable.", null, System.Net.HttpStatusCode.ServiceUnavailable);

    private bool[] Fetches()
    {
        lock (_gate)
        {
            return [.. _fetches];
        }
    }
}
