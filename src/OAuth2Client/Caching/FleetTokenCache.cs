using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using OAuth2Client.Diagnostics;

namespace OAuth2Client.Caching;

/// <summary>
/// Level 2 of a client's token cache in fleet mode: the token every instance of the fleet shares, encrypted in the app's
/// distributed cache, and the fleet-wide single flight. An instance with no token, or whose token reached its (jittered)
/// refresh point, first adopts a newer token another instance published; failing that, it takes the fleet lease and asks
/// the token endpoint, or, when another instance holds the lease, waits for that instance's token. It never waits
/// longer than <see cref="MaxWait"/>, and never fails because of the cache: the guard turns any cache trouble into
/// "ask the token endpoint yourself".
/// </summary>
internal sealed class FleetTokenCache
{
    private const string Prefix = "oauth2client:fleet:v1:";
    private readonly IDistributedCache _cache;
    private readonly IOAuth2TokenProtector _protector;
    private readonly IDistributedTokenLock _lock;
    private readonly DistributedCacheGuard _guard;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string _clientName;
    private readonly ClientTelemetry _telemetry;
    private readonly TimeSpan _leaseDuration;
    private readonly byte[] _associatedData;
    private int _unreadableLogged;

    /// <param name="options">Validated options.</param>
    /// <param name="cacheKey">The client's <see cref="TokenCacheKey"/> (a hash: no secret in clear).</param>
    /// <param name="tokenRequestTimeout">The client's token request timeout; losers of the lease wait a fraction of it.</param>
    /// <param name="timeProvider">The clock of waits and timeouts.</param>
    /// <param name="logger">Where outages are logged.</param>
    /// <param name="clientName">The client's registered name (or its client id), for log messages.</param>
    /// <param name="telemetry">The client's spans and measurements.</param>
    public FleetTokenCache(DistributedTokenCacheOptions options, string cacheKey, TimeSpan tokenRequestTimeout, TimeProvider timeProvider, ILogger logger, string clientName, ClientTelemetry? telemetry = null)
    {
        _telemetry = telemetry ?? ClientTelemetry.ForName(clientName);
        _cache = options.Cache!;
        _protector = options.Protector ?? new AesGcmTokenProtector(options.EncryptionKey!);
        _lock = options.Lock ?? new DistributedCacheTokenLock(_cache, timeProvider);
        _guard = new DistributedCacheGuard(options.OperationTimeout, options.OutageBackoff, timeProvider, logger, clientName);
        _timeProvider = timeProvider;
        _logger = logger;
        _clientName = clientName;
        _leaseDuration = options.LeaseDuration;
        string hash = cacheKey[(cacheKey.LastIndexOf(':') + 1)..];
        TokenKey = Prefix + "token:" + hash;
        LeaseKey = Prefix + "lease:" + hash;
        _associatedData = Encoding.UTF8.GetBytes(TokenKey);
        MaxWait = TimeSpan.FromTicks(Math.Max((long)(tokenRequestTimeout.Ticks * DistributedTokenCacheDefaults.MaxWaitFraction), _leaseDuration.Ticks * 3 / 2));
    }

    /// <summary>The key of the shared token in the distributed cache.</summary>
    public string TokenKey { get; }

    /// <summary>The key of the fleet lease.</summary>
    public string LeaseKey { get; }

    /// <summary>The longest an instance waits for the lease holder's token before asking the token endpoint itself.</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>
    /// The token for this instance: one <paramref name="adopt"/> accepts from the cache, else one <paramref name="fetch"/>
    /// obtains, by this instance when it holds the lease (or the cache is unavailable, or the wait ran out), or by the
    /// lease holder.
    /// </summary>
    /// <param name="adopt">Turns a published token into this instance's entry, or refuses it (the token this instance already holds, one a 401 rejected, one too close to its refresh point).</param>
    /// <param name="fetch">Asks the token endpoint; its token is published.</param>
    /// <param name="cancellationToken">Cancels the wait and the fetch (the source is disposed).</param>
    public async Task<CachedToken> GetOrFetchAsync(Func<SharedToken, CachedToken?> adopt, Func<CancellationToken, Task<CachedToken>> fetch, CancellationToken cancellationToken)
    {
        if (await TryAdoptAsync(adopt, cancellationToken).ConfigureAwait(false) is { } published)
        {
            return published;
        }

        long deadline = _timeProvider.GetUtcNow().UtcTicks + MaxWait.Ticks;
        TimeSpan pause = DistributedTokenCacheDefaults.FirstPoll;
        while (true)
        {
            (bool ok, IAsyncDisposable? lease) = await _guard.RunAsync(ct => _lock.TryAcquireAsync(LeaseKey, _leaseDuration, ct).AsTask(), cancellationToken).ConfigureAwait(false);
            if (lease is not null)
            {
                try
                {
                    // Published between the first look and the lease (by the previous holder): no request needed.
                    return await TryAdoptAsync(adopt, cancellationToken).ConfigureAwait(false)
                        ?? await FetchAndPublishAsync(fetch, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await _guard.RunAsync(
                        async _ =>
                        {
                            await lease.DisposeAsync().ConfigureAwait(false);
                            return true;
                        },
                        CancellationToken.None).ConfigureAwait(false);
                }
            }

            if (!ok)
            {
                // The cache (or lock) is unavailable: no coordination, this instance asks for itself.
                return await FetchAndPublishAsync(fetch, cancellationToken).ConfigureAwait(false);
            }

            if (_timeProvider.GetUtcNow().UtcTicks >= deadline)
            {
                Log.FleetWaitExpired(_logger, _clientName, MaxWait);
                return await FetchAndPublishAsync(fetch, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(pause, _timeProvider, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, DistributedTokenCacheDefaults.MaxPoll.Ticks));
            if (await TryAdoptAsync(adopt, cancellationToken).ConfigureAwait(false) is { } fromHolder)
            {
                return fromHolder;
            }
        }
    }

    /// <summary>The published token, or <see langword="null"/> (none, unreadable, or the cache is unavailable).</summary>
    public async ValueTask<SharedToken?> ReadAsync(CancellationToken cancellationToken)
    {
        (bool ok, byte[]? stored) = await _guard.RunAsync(ct => _cache.GetAsync(TokenKey, ct), cancellationToken).ConfigureAwait(false);
        if (!ok || stored is null)
        {
            return null;
        }

        try
        {
            return DistributedTokenEntry.Read(stored, _protector, _associatedData);
        }
        catch (CryptographicException)
        {
            // Another key (a rotation in progress), another format, or tampering: a miss; the next publish overwrites it.
            if (Interlocked.Exchange(ref _unreadableLogged, 1) == 0)
            {
                Log.DistributedTokenUnreadable(_logger, _clientName);
            }

            return null;
        }
    }

    /// <summary>Publishes <paramref name="entry"/> until it is no longer usable; a cache that refuses costs sharing, never the token.</summary>
    public async ValueTask PublishAsync(CachedToken entry, CancellationToken cancellationToken)
    {
        TimeSpan ttl = TimeSpan.FromTicks(entry.UsableUntilTicks - _timeProvider.GetUtcNow().UtcTicks);
        if (ttl <= TimeSpan.Zero || _guard.Skipping)
        {
            return;
        }

        byte[] stored = DistributedTokenEntry.Write(new SharedToken(entry.Token, entry.IssuedAtTicks), _protector, _associatedData);
        var entryOptions = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = ttl };
        await _guard.RunAsync(
            async ct =>
            {
                await _cache.SetAsync(TokenKey, stored, entryOptions, ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<CachedToken?> TryAdoptAsync(Func<SharedToken, CachedToken?> adopt, CancellationToken cancellationToken)
    {
        using Activity? activity = _telemetry.StartActivity(ClientTelemetry.DistributedCacheReadSpan);
        CachedToken? entry = await ReadAsync(cancellationToken).ConfigureAwait(false) is { } shared ? adopt(shared) : null;
        bool hit = entry is not null;
        _telemetry.L2Lookup(hit);
        activity?.SetTag(ClientTelemetry.CacheResult, hit ? "hit" : "miss");
        if (entry is not null)
        {
            Log.TokenFromDistributedCache(_logger, _clientName);
        }

        return entry;
    }

    private async Task<CachedToken> FetchAndPublishAsync(Func<CancellationToken, Task<CachedToken>> fetch, CancellationToken cancellationToken)
    {
        CachedToken entry = await fetch(cancellationToken).ConfigureAwait(false);
        await PublishAsync(entry, cancellationToken).ConfigureAwait(false);
        return entry;
    }
}
