using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Caching;

/// <summary>
/// Fleet mode's logic on a fake clock, without Redis: instances share one in-memory <see cref="IDistributedCache"/>
/// (or a cache that fails or hangs) and an atomic in-memory lock, so every step is driven by the test.
/// </summary>
public sealed class FleetTokenCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = TestClock.Create();
    private readonly ScriptedCache _cache = new();
    private readonly InMemoryLock _lock = new();
    private readonly List<IDisposable> _owned = [];
    private EmulatedOAuthServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        _server.TokenLifetimeSeconds = 3600;
    }

    public async Task DisposeAsync()
    {
        _owned.ForEach(d => d.Dispose());
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SecondInstance_ColdStart_AdoptsTheFirstInstancesToken()
    {
        ClientCredentialsTokenProvider a = CreateInstance(out _);
        ClientCredentialsTokenProvider b = CreateInstance(out _);

        OAuth2Token first = await a.GetTokenAsync();
        OAuth2Token second = await b.GetTokenAsync();

        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, _server.TokenRequestCount);
    }

    [Fact]
    public async Task RefreshWindow_LaterInstanceAdoptsTheNewerTokenInsteadOfFetching()
    {
        ClientCredentialsTokenProvider a = CreateInstance(out _);
        ClientCredentialsTokenProvider b = CreateInstance(out _);
        OAuth2Token original = await a.GetTokenAsync();
        await b.GetTokenAsync();

        // Both inside their refresh windows (60 s before expiry, jittered), the token still usable.
        _time.Advance(TimeSpan.FromSeconds(3600 - 30));
        Assert.Equal(original.Value, (await a.GetTokenAsync()).Value); // refresh-ahead: kept while renewing in the background
        await Eventually.WaitUntilAsync(() => a.Source.Current?.Token.Value != original.Value);
        string renewed = a.Source.Current!.Token.Value;

        await b.GetTokenAsync();
        await Eventually.WaitUntilAsync(() => b.Source.Current?.Token.Value != original.Value);

        Assert.Equal(renewed, b.Source.Current!.Token.Value);
        Assert.Equal(2, _server.TokenRequestCount);
    }

    [Fact]
    public async Task Rejected_TheSharedTokenIsNotHandedBack()
    {
        ClientCredentialsTokenProvider a = CreateInstance(out _);
        OAuth2Token first = await a.GetTokenAsync();
        _time.Advance(TimeSpan.FromMinutes(1)); // older than the minimum age for a 401 renewal

        OAuth2Token renewed = await a.RenewTokenAsync(first);

        Assert.NotEqual(first.Value, renewed.Value);
        Assert.Equal(2, _server.TokenRequestCount);
    }

    [Fact]
    public async Task LeaseHeldByAnother_WaitsForItsToken_ThenFetchesItselfWhenNoneComes()
    {
        ClientCredentialsTokenProvider a = CreateInstance(out FakeLogCollector logs);
        _lock.HeldByAnother = true;

        DateTimeOffset start = _time.GetUtcNow();
        Task<OAuth2Token> waiting = a.GetTokenAsync().AsTask();
        TimeSpan maxWait = a.Source.Fleet!.MaxWait;
        Assert.Equal(TimeSpan.FromSeconds(15), maxWait); // half the 30 s token request timeout (and more than 1.5 leases)
        for (int i = 0; !waiting.IsCompleted && i < 100_000; i++)
        {
            // The pauses between looks for the holder's token are on the fake clock: move it until the wait runs out.
            _time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(1);
        }

        await waiting;
        Assert.True(_time.GetUtcNow() - start >= maxWait, "fetched before the wait for the lease holder ran out");
        Assert.Equal(1, _server.TokenRequestCount);
        Assert.Equal(1, logs.CountOf(Log.EventIds.FleetWaitExpired));
    }

    [Fact]
    public async Task CacheFails_TokensStillWork_OutageLoggedOnce_CacheLeftAloneDuringBackoff_RecoveryLoggedOnce()
    {
        ClientCredentialsTokenProvider a = CreateInstance(out FakeLogCollector logs);
        _cache.Fail = true;

        OAuth2Token first = await a.GetTokenAsync();
        int callsAfterOutage = _cache.Calls;
        await a.RenewTokenAsync(null); // within the back-off: the cache is not called
        Assert.Equal(callsAfterOutage, _cache.Calls);

        _time.Advance(TimeSpan.FromSeconds(31));
        await a.RenewTokenAsync(null); // probes, fails again: not logged again
        Assert.True(_cache.Calls > callsAfterOutage);

        _cache.Fail = false;
        _time.Advance(TimeSpan.FromSeconds(31));
        await a.RenewTokenAsync(null);

        Assert.NotNull(first);
        Assert.Equal(4, _server.TokenRequestCount);
        Assert.Equal(1, logs.CountOf(Log.EventIds.DistributedCacheUnavailable));
        Assert.Equal(1, logs.CountOf(Log.EventIds.DistributedCacheRecovered));
        Assert.DoesNotContain(first.Value, logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheHangs_AfterItAnswered_GivesUpAfterTheOperationTimeout()
    {
        ClientCredentialsTokenProvider a = CreateInstance(out FakeLogCollector logs);
        OAuth2Token first = await a.GetTokenAsync();
        _cache.Hang = true;
        int calls = _cache.Calls;

        Task<OAuth2Token> call = a.RenewTokenAsync(null).AsTask();
        await Eventually.WaitUntilAsync(() => _cache.Calls > calls);
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(500));

        await call;
        Assert.Equal(2, _server.TokenRequestCount);
        FakeLogRecord outage = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.DistributedCacheUnavailable);
        Assert.Contains("no answer within 500 ms", outage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CacheHangs_BeforeItEverAnswered_AllowsTimeToConnectThenGivesUp()
    {
        ClientCredentialsTokenProvider a = CreateInstance(out FakeLogCollector logs);
        _cache.Hang = true;

        Task<OAuth2Token> call = a.GetTokenAsync().AsTask();
        await Eventually.WaitUntilAsync(() => _cache.Calls > 0);
        _time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.False(call.IsCompleted); // the first call also opens the connection: it gets 5 s
        _time.Advance(TimeSpan.FromMilliseconds(4500));

        await call;
        Assert.Equal(1, _server.TokenRequestCount);
        FakeLogRecord outage = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.DistributedCacheUnavailable);
        Assert.Contains("no answer within 5000 ms", outage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntryWrittenWithAnotherKey_IsIgnoredAndReplaced()
    {
        ClientCredentialsTokenProvider a = CreateInstance(out _, key: Convert.ToBase64String(new byte[32]));
        ClientCredentialsTokenProvider b = CreateInstance(out FakeLogCollector logs);
        await a.GetTokenAsync();

        await b.GetTokenAsync();

        Assert.Equal(2, _server.TokenRequestCount);
        Assert.Equal(1, logs.CountOf(Log.EventIds.DistributedTokenUnreadable));
    }

    private ClientCredentialsTokenProvider CreateInstance(out FakeLogCollector logs, string? key = null)
    {
        logs = new FakeLogCollector();
        var loggerFactory = TestLogs.CreateFactory(logs);
        var memory = new MemoryCache(new MemoryCacheOptions());
        var provider = new ClientCredentialsTokenProvider(
            new OAuth2ClientOptions { TokenEndpoint = _server.TokenEndpoint, ClientId = Harness.ClientId, ClientSecret = Harness.ClientSecret, AllowInsecureHttp = true, MaxTokenRequestRetries = 0 },
            httpClient: null,
            _time,
            loggerFactory,
            memory,
            new DistributedTokenCacheOptions { Cache = _cache, Lock = _lock }.Encrypted(key));
        _owned.Add(provider);
        _owned.Add(memory);
        _owned.Add(loggerFactory);
        return provider;
    }

    /// <summary>An atomic in-memory lock (no settle delay), or one always held by another instance.</summary>
    private sealed class InMemoryLock : IDistributedTokenLock
    {
        private readonly ConcurrentDictionary<string, bool> _held = new();

        public bool HeldByAnother { get; set; }

        public ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
            => new(!HeldByAnother && _held.TryAdd(key, true) ? new Release(() => _held.TryRemove(key, out _)) : null);

        private sealed class Release(Action release) : IAsyncDisposable
        {
            public ValueTask DisposeAsync()
            {
                release();
                return default;
            }
        }
    }

    /// <summary>An in-memory distributed cache that can be told to fail or to hang; counts its calls.</summary>
    private sealed class ScriptedCache : IDistributedCache
    {
        private readonly MemoryDistributedCache _inner = new(Options.Create(new MemoryDistributedCacheOptions()));
        private int _calls;
        private int _reads;

        public bool Fail { get; set; }

        public bool Hang { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public int Reads => Volatile.Read(ref _reads);

        public byte[]? Get(string key) => throw new NotSupportedException("synchronous");

        public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
        {
            await EnterAsync(token);
            Interlocked.Increment(ref _reads);
            return await _inner.GetAsync(key, token);
        }

        public void Refresh(string key) => throw new NotSupportedException("synchronous");

        public Task RefreshAsync(string key, CancellationToken token = default) => throw new NotSupportedException("not used");

        public void Remove(string key) => throw new NotSupportedException("synchronous");

        public async Task RemoveAsync(string key, CancellationToken token = default)
        {
            await EnterAsync(token);
            await _inner.RemoveAsync(key, token);
        }

        public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => throw new NotSupportedException("synchronous");

        public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
        {
            await EnterAsync(token);
            await _inner.SetAsync(key, value, options, token);
        }

        private async Task EnterAsync(CancellationToken token)
        {
            Interlocked.Increment(ref _calls);
            if (Hang)
            {
                await Task.Delay(Timeout.Infinite, token);
            }

            if (Fail)
            {
                throw new InvalidOperationException("cache down");
            }
        }
    }
}
