using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OAuth2Client.Caching;
using OAuth2Client.Tests.TestSupport;
using StackExchange.Redis;

namespace OAuth2Client.Tests.Caching;

/// <summary>The two fleet locks: the atomic <see cref="RedisDistributedTokenLock"/> on a real Redis, and the default lease entry over any cache.</summary>
public sealed class DistributedTokenLockTests
{
    [SkippableFact]
    public async Task RedisLock_OneHolderAtATime_FreeAgainAfterRelease()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var fleetLock = new RedisDistributedTokenLock(connection);

        IAsyncDisposable? first = await fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30));
        IAsyncDisposable? second = await fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30));
        Assert.NotNull(first);
        Assert.Null(second);

        await first.DisposeAsync();
        await using IAsyncDisposable? third = await fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30));
        Assert.NotNull(third);
    }

    [SkippableFact]
    public async Task RedisLock_HolderWhoseLeaseExpired_DoesNotReleaseTheNextHolders()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var fleetLock = new RedisDistributedTokenLock(connection);
        IAsyncDisposable? stale = await fleetLock.TryAcquireAsync("lease", TimeSpan.FromMilliseconds(300));
        Assert.NotNull(stale);

        // The lease expires (its holder was too slow); another instance takes it.
        IAsyncDisposable? next = null;
        await Eventually.WaitUntilAsync(async () => (next = await fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30))) is not null);
        await stale.DisposeAsync();

        Assert.Null(await fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30)));
        Assert.Equal(RedisType.String, await connection.GetDatabase().KeyTypeAsync("lease"));
        await next!.DisposeAsync();
        Assert.False(await connection.GetDatabase().KeyExistsAsync("lease"));
    }

    [Fact]
    public async Task CacheLease_HeldUntilReleased_ThenFree()
    {
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var fleetLock = new DistributedCacheTokenLock(cache, TimeProvider.System);

        IAsyncDisposable? first = await fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30));
        IAsyncDisposable? second = await fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30));
        Assert.NotNull(first);
        Assert.Null(second);

        await first.DisposeAsync();
        Assert.Null(await cache.GetAsync("lease"));
        Assert.NotNull(await fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task CacheLease_AnotherWriterLandedLast_ThisOneDoesNotHoldIt()
    {
        var time = TestClock.Create();
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var fleetLock = new DistributedCacheTokenLock(cache, time);

        // This writer saw no lease and wrote its own; a racing writer's lease lands before the read-back.
        ValueTask<IAsyncDisposable?> attempt = fleetLock.TryAcquireAsync("lease", TimeSpan.FromSeconds(30));
        await cache.SetAsync("lease", "other-owner"u8.ToArray(), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30) });
        time.Advance(TimeSpan.FromMilliseconds(50));

        Assert.Null(await attempt);
        Assert.Equal("other-owner"u8.ToArray(), await cache.GetAsync("lease"));
    }
}
