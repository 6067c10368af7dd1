using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace OAuth2Client.Tests.Caching;

/// <summary>
/// Fleet mode against a real Redis (<see cref="RedisServer"/>) and the real <c>RedisCache</c>: 20 instances, each with
/// its own service provider and memory cache, and token requests counted on the emulator's token endpoint. Timing here
/// is real (Redis TTLs are), so tokens live 3 s and every wait is a condition, never a fixed sleep.
/// </summary>
public sealed class FleetModeTests(ITestOutputHelper output)
{
    private const int Instances = 20;
    private const int LifetimeSeconds = 3;

    [SkippableTheory]
    [InlineData(FleetLock.CacheLease)]
    [InlineData(FleetLock.Redis)]
    public async Task TwentyInstances_SeveralLifetimesWithTraffic_AtMostTwoTokenRequestsPerLifetime(FleetLock fleetLock)
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using EmulatedOAuthServer server = await StartServerAsync();
        await using Fleet fleet = Fleet.Create(Instances, server, redis, fleetLock);

        var clock = Stopwatch.StartNew();
        int failed = await fleet.RunTrafficAsync(() => clock.Elapsed >= TimeSpan.FromSeconds(4 * LifetimeSeconds));
        TimeSpan elapsed = clock.Elapsed;

        int lifetimes = (int)Math.Ceiling(elapsed.TotalSeconds / LifetimeSeconds);
        output.WriteLine($"{fleetLock}: {server.TokenRequestCount} token requests, {server.ApiRequestCount} API calls, {elapsed.TotalSeconds:0.0} s, {lifetimes} lifetimes");
        Assert.Equal(0, failed);
        Assert.True(
            server.TokenRequestCount <= 2 * lifetimes,
            $"{server.TokenRequestCount} token requests for {Instances} instances over {elapsed.TotalSeconds:0.0} s ({lifetimes} lifetimes of {LifetimeSeconds} s); the goal is at most 2 per lifetime.");
        Assert.True(server.TokenRequestCount >= lifetimes, $"only {server.TokenRequestCount} token requests: the tokens were not renewed");
    }

    [SkippableTheory]
    [InlineData(FleetLock.None, Instances, Instances)]
    [InlineData(FleetLock.CacheLease, 1, 2)]
    [InlineData(FleetLock.Redis, 1, 1)]
    public async Task ColdStart_TwentyInstancesAtOnce_TokenRequestsWithinTheGoal(FleetLock fleetLock, int atLeast, int atMost)
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using EmulatedOAuthServer server = await StartServerAsync();
        await using Fleet fleet = Fleet.Create(Instances, server, redis, fleetLock);

        OAuth2Token[] tokens = await fleet.GetTokensAtOnceAsync();

        Assert.InRange(server.TokenRequestCount, atLeast, atMost);
        Assert.InRange(tokens.Select(t => t.Value).Distinct().Count(), atLeast, atMost);
    }

    [SkippableTheory]
    [InlineData(FleetLock.CacheLease)]
    [InlineData(FleetLock.Redis)]
    public async Task LeaseHolderDiedMidFetch_OthersWaitForTheLeaseThenOneFetches(FleetLock fleetLock)
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using EmulatedOAuthServer server = await StartServerAsync();
        await using Fleet fleet = Fleet.Create(Instances, server, redis, fleetLock);
        TimeSpan lease = TimeSpan.FromSeconds(2);

        // What a holder that crashed mid-request leaves behind: its lease, and no token.
        string leaseKey = LeaseKey(server);
        var clock = Stopwatch.StartNew();
        if (fleetLock == FleetLock.Redis)
        {
            using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            Assert.True(await connection.GetDatabase().StringSetAsync(leaseKey, "crashed-holder", lease, When.NotExists));
        }
        else
        {
            using var cache = new RedisCache(new RedisCacheOptions { Configuration = redis.Configuration, InstanceName = "fleet-tests:" });
            await cache.SetAsync(leaseKey, "crashed-holder"u8.ToArray(), new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = lease });
        }

        OAuth2Token[] tokens = await fleet.GetTokensAtOnceAsync();

        // Nobody asked while the dead holder's lease lasted; then one instance did, and the others took its token.
        Assert.True(clock.Elapsed >= lease - TimeSpan.FromMilliseconds(500), $"the fleet took over after {clock.Elapsed.TotalSeconds:0.00} s, before the lease of {lease.TotalSeconds} s ended");
        Assert.InRange(server.TokenRequestCount, 1, fleetLock == FleetLock.Redis ? 1 : 2);
        Assert.InRange(tokens.Select(t => t.Value).Distinct().Count(), 1, server.TokenRequestCount);
        Assert.All(fleet.Instances, i => Assert.Equal(0, i.Logs.CountOf(Log.EventIds.FleetWaitExpired)));
    }

    [SkippableFact]
    public async Task RawRedisValues_ContainNoTokenOrSecretInClear()
    {
        await using RedisServer redis = await RedisServer.StartAsync();
        await using EmulatedOAuthServer server = await StartServerAsync();
        await using Fleet fleet = Fleet.Create(3, server, redis, FleetLock.CacheLease);

        OAuth2Token[] tokens = await fleet.GetTokensAtOnceAsync();

        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        IServer redisServer = connection.GetServer(connection.GetEndPoints()[0]);
        IDatabase db = connection.GetDatabase();
        var dump = new StringBuilder();
        var keys = new List<string>();
        await foreach (RedisKey key in redisServer.KeysAsync(pattern: "*"))
        {
            keys.Add(key.ToString());
            dump.Append(key).Append('\n');
            if (await db.KeyTypeAsync(key) == RedisType.Hash)
            {
                foreach (HashEntry field in await db.HashGetAllAsync(key))
                {
                    dump.Append(field.Name).Append('=').Append(Encoding.Latin1.GetString((byte[])field.Value!)).Append('\n');
                }
            }
            else
            {
                dump.Append(Encoding.Latin1.GetString((byte[])(await db.StringGetAsync(key))!)).Append('\n');
            }
        }

        string raw = dump.ToString();
        Assert.Contains(keys, k => k.StartsWith("fleet-tests:oauth2client:fleet:v1:token:", StringComparison.Ordinal));
        Assert.NotEmpty(server.IssuedTokens);
        Assert.All(server.IssuedTokens, token => Assert.DoesNotContain(token, raw, StringComparison.Ordinal));
        Assert.All(tokens, token => Assert.DoesNotContain(token.Value, raw, StringComparison.Ordinal));
        Assert.DoesNotContain(Harness.ClientSecret, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(Harness.ClientId, raw, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RedisStoppedMidRun_NoCallFails_LoggedOncePerInstance_ThenSharingResumesAfterRestart()
    {
        const int size = 5;
        await using RedisServer redis = await RedisServer.StartAsync();
        await using EmulatedOAuthServer server = await StartServerAsync();
        await using Fleet fleet = Fleet.Create(size, server, redis, FleetLock.CacheLease);
        var clock = Stopwatch.StartNew();

        // Shared: one lifetime with Redis up.
        int failed = await fleet.RunTrafficAsync(() => clock.Elapsed >= TimeSpan.FromSeconds(LifetimeSeconds + 0.5));

        // Redis down for two lifetimes: every instance renews on its own, nothing fails, each logs the outage once.
        await redis.StopAsync();
        clock.Restart();
        failed += await fleet.RunTrafficAsync(() => clock.Elapsed >= TimeSpan.FromSeconds(2 * LifetimeSeconds));
        Assert.Equal(0, failed);

        // Logged once per outage: each instance has exactly one outage not yet followed by a recovery. (Usually one
        // outage in all; a call slower than the timeout on a loaded machine makes a short outage of its own.)
        Assert.All(fleet.Instances, i => Assert.Equal(i.Logs.CountOf(Log.EventIds.DistributedCacheRecovered) + 1, i.Logs.CountOf(Log.EventIds.DistributedCacheUnavailable)));

        // Redis back: each instance logs the recovery once, and the fleet converges on one shared token again.
        await redis.RestartAsync();
        using var stop = new CancellationTokenSource();
        Task<int> traffic = fleet.RunTrafficAsync(() => stop.IsCancellationRequested);
        await Eventually.WaitUntilAsync(async () =>
            fleet.Instances.All(i => i.Logs.CountOf(Log.EventIds.DistributedCacheRecovered) == i.Logs.CountOf(Log.EventIds.DistributedCacheUnavailable))
            && (await Task.WhenAll(fleet.Instances.Select(i => i.Tokens.GetTokenAsync().AsTask()))).Select(t => t.Value).Distinct().Count() == 1);

        // Sharing resumed: the whole fleet asks about once per lifetime again, not once per instance.
        int before = server.TokenRequestCount;
        clock.Restart();
        await Eventually.WaitUntilAsync(() => Task.FromResult(clock.Elapsed >= TimeSpan.FromSeconds(2 * LifetimeSeconds)));
        int during = server.TokenRequestCount - before;
        output.WriteLine($"after the restart: {during} token requests in {clock.Elapsed.TotalSeconds:0.0} s; {before} before");
        stop.Cancel();
        Assert.Equal(0, await traffic);
        Assert.InRange(during, 1, 2 * 3);
    }

    private static async Task<EmulatedOAuthServer> StartServerAsync()
    {
        EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        server.TokenLifetimeSeconds = LifetimeSeconds;
        return server;
    }

    /// <summary>The lease key the instances use: the fleet cache of a provider with the same options knows it.</summary>
    private static string LeaseKey(EmulatedOAuthServer server)
    {
        using var provider = new ClientCredentialsTokenProvider(
            new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = Harness.ClientId, ClientSecret = Harness.ClientSecret, AllowInsecureHttp = true },
            distributedCache: new DistributedTokenCacheOptions { Cache = new Microsoft.Extensions.Caching.Distributed.MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Caching.Memory.MemoryDistributedCacheOptions())) }.Encrypted());
        return provider.Source.Fleet!.LeaseKey;
    }
}
