using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>How the instances of a benchmarked fleet share tokens.</summary>
public enum FleetMode
{
    /// <summary>Fleet mode off: each instance on its own (the behaviour before fleet mode).</summary>
    Off,

    /// <summary>Fleet mode with the default lease entry in the distributed cache.</summary>
    CacheLease,

    /// <summary>Fleet mode with the atomic <see cref="RedisDistributedTokenLock"/>.</summary>
    RedisLock,
}

/// <summary>
/// The long-lived parts of one instance of an app: its own Redis connection (<c>RedisCache</c>) and lock connection.
/// <see cref="CreateProvider"/> makes a cold provider (empty in-process cache) on them, as a restarted instance has.
/// </summary>
internal sealed class FleetMember : IDisposable
{
    public const string EncryptionKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=";
    private readonly RedisCache? _cache;
    private readonly ConnectionMultiplexer? _lockConnection;
    private readonly FleetMode _mode;

    public FleetMember(FleetMode mode, string redisConfiguration)
    {
        _mode = mode;
        if (mode != FleetMode.Off)
        {
            _cache = new RedisCache(new RedisCacheOptions { Configuration = redisConfiguration, InstanceName = "bench:" });
            _lockConnection = mode == FleetMode.RedisLock ? ConnectionMultiplexer.Connect(redisConfiguration) : null;
        }
    }

    public ClientCredentialsTokenProvider CreateProvider(OAuth2ClientOptions options, HttpClient tokenHttp, IMemoryCache? memory = null)
        => new(
            options,
            tokenHttp,
            sharedCache: memory,
            distributedCache: _mode == FleetMode.Off ? null : new DistributedTokenCacheOptions
            {
                Cache = _cache,
                EncryptionKey = EncryptionKey,
                Lock = _lockConnection is null ? null : new RedisDistributedTokenLock(_lockConnection),
            });

    public void Dispose()
    {
        _cache?.Dispose();
        _lockConnection?.Dispose();
    }
}
