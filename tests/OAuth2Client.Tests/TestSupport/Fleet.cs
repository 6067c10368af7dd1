using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OAuth2Client.Testing;
using StackExchange.Redis;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>How the instances of a fleet elect the one that asks the token endpoint.</summary>
public enum FleetLock
{
    /// <summary>Fleet mode off: every instance on its own (today's behaviour without a distributed cache).</summary>
    None,

    /// <summary>The default lease entry in the distributed cache (best effort).</summary>
    CacheLease,

    /// <summary><see cref="RedisDistributedTokenLock"/> (atomic).</summary>
    Redis,
}

/// <summary>
/// One instance of an app: its own service provider, memory cache, logs and HTTP client, and the real
/// <c>RedisCache</c> (<c>AddStackExchangeRedisCache</c>) of one shared <see cref="RedisServer"/>.
/// </summary>
public sealed class FleetInstance : IAsyncDisposable
{
    public const string EncryptionKey = "q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8M=";
    public const string ClientName = "api";

    private readonly ConnectionMultiplexer? _lockConnection;

    private FleetInstance(ServiceProvider services, FakeLogCollector logs, ConnectionMultiplexer? lockConnection)
    {
        Services = services;
        Logs = logs;
        _lockConnection = lockConnection;
        Api = services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);
        Tokens = services.GetRequiredKeyedService<IOAuth2TokenProvider>(ClientName);
    }

    public ServiceProvider Services { get; }

    public FakeLogCollector Logs { get; }

    public HttpClient Api { get; }

    public IOAuth2TokenProvider Tokens { get; }

    public static FleetInstance Create(EmulatedOAuthServer server, RedisServer redis, FleetLock fleetLock, Action<DistributedTokenCacheOptions>? configure = null)
    {
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new FakeLoggerProvider(logs)));
        IHttpClientBuilder client = services.AddOAuth2ClientCredentials(ClientName, o =>
        {
            o.TokenEndpoint = server.TokenEndpoint;
            o.ClientId = Harness.ClientId;
            o.ClientSecret = Harness.ClientSecret;
            o.AllowInsecureHttp = true;
            o.TokenRequestTimeout = TimeSpan.FromSeconds(10);
        }).ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);

        ConnectionMultiplexer? lockConnection = null;
        if (fleetLock != FleetLock.None)
        {
            services.AddStackExchangeRedisCache(o =>
            {
                o.Configuration = redis.Configuration;
                o.InstanceName = "fleet-tests:";
            });
            if (fleetLock == FleetLock.Redis)
            {
                lockConnection = ConnectionMultiplexer.Connect(redis.Configuration);
            }

            client.UseDistributedTokenCache(o =>
            {
                o.Encrypted();
                o.LeaseDuration = TimeSpan.FromSeconds(2);
                o.OutageBackoff = TimeSpan.FromMilliseconds(500);
                if (lockConnection is not null)
                {
                    o.Lock = new RedisDistributedTokenLock(lockConnection);
                }

                configure?.Invoke(o);
            });
        }

        return new FleetInstance(services.BuildServiceProvider(), logs, lockConnection);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Services.DisposeAsync();
        if (_lockConnection is not null)
        {
            await _lockConnection.DisposeAsync();
        }
    }
}

/// <summary>N instances of one app against one emulator and one Redis, with concurrent API traffic.</summary>
public sealed class Fleet : IAsyncDisposable
{
    private Fleet(IReadOnlyList<FleetInstance> instances) => Instances = instances;

    public IReadOnlyList<FleetInstance> Instances { get; }

    public static Fleet Create(int size, EmulatedOAuthServer server, RedisServer redis, FleetLock fleetLock, Action<DistributedTokenCacheOptions>? configure = null)
        => new([.. Enumerable.Range(0, size).Select(_ => FleetInstance.Create(server, redis, fleetLock, configure))]);

    /// <summary>Every instance asks for a token at the same moment (a cold start); returns the tokens.</summary>
    public async Task<OAuth2Token[]> GetTokensAtOnceAsync()
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<OAuth2Token>[] calls = [.. Instances.Select(async i =>
        {
            await start.Task;
            return await i.Tokens.GetTokenAsync();
        })];
        start.SetResult();
        return await Task.WhenAll(calls);
    }

    /// <summary>Calls the API from every instance (two callers each) until <paramref name="until"/> holds; returns the failed calls.</summary>
    public async Task<int> RunTrafficAsync(Func<bool> until)
    {
        int failed = 0;
        async Task Caller(FleetInstance instance)
        {
            while (!until())
            {
                try
                {
                    using HttpResponseMessage response = await instance.Api.GetAsync("orders");
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
#pragma warning disable CA1031 // counted: the assertion is that nothing fails
                catch (Exception)
#pragma warning restore CA1031
                {
                    Interlocked.Increment(ref failed);
                }

                await Task.Delay(25);
            }
        }

        await Task.WhenAll(Instances.SelectMany(i => new[] { Caller(i), Caller(i) }));
        return failed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (FleetInstance instance in Instances)
        {
            await instance.DisposeAsync();
        }
    }
}

/// <summary>How the tests encrypt a fleet's distributed cache entries.</summary>
public static class FleetEncryption
{
    /// <summary>
    /// Encrypts with <paramref name="key"/> (default <see cref="FleetInstance.EncryptionKey"/>): the built-in AES-GCM, or, against the
    /// netstandard2.0 build (which has no AES-GCM), an equivalent test protector under the same key.
    /// </summary>
    public static DistributedTokenCacheOptions Encrypted(this DistributedTokenCacheOptions options, string? key = null)
    {
#if NETSTANDARD_BUILD_UNDER_TEST
        options.Protector = new TestTokenProtector(key ?? FleetInstance.EncryptionKey);
#else
        options.EncryptionKey = key ?? FleetInstance.EncryptionKey;
#endif
        return options;
    }
}
