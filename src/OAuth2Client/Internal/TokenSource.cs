using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace OAuth2Client.Internal;

/// <summary>
/// The only stateful piece: the current token (L1, a field read without locks), an optional shared
/// <see cref="IMemoryCache"/> (L2), and a single flight so that any number of callers cause one token request.
/// A caller's cancellation stops only its own wait; the shared request goes on for the others.
/// Failures are never cached.
/// </summary>
internal sealed class TokenSource : IDisposable
{
    private readonly Func<CancellationToken, Task<TokenResponse>> _fetch;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _refreshBeforeExpiry;
    private readonly IMemoryCache? _sharedCache;
    private readonly string _cacheKey;
    private readonly string _clientId;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>
    /// With the system clock, freshness is checked against <see cref="Environment.TickCount64"/> (monotonic, a few ns)
    /// instead of reading the wall clock on every request; any other <see cref="TimeProvider"/> is asked every time, so a
    /// fake or offset clock keeps full control.
    /// </summary>
    private readonly bool _systemClock;

    private volatile CachedToken? _current;
    private Task<CachedToken>? _inflight;

    /// <summary>Bumped by <see cref="Publish"/>: a fetch that started before it must not overwrite what it published.</summary>
    private long _generation;

    public TokenSource(
        Func<CancellationToken, Task<TokenResponse>> fetch,
        TimeProvider timeProvider,
        TimeSpan refreshBeforeExpiry,
        IMemoryCache? sharedCache,
        string cacheKey,
        string clientId,
        ILogger logger)
    {
        _fetch = fetch;
        _timeProvider = timeProvider;
        _refreshBeforeExpiry = refreshBeforeExpiry;
        _sharedCache = sharedCache;
        _cacheKey = cacheKey;
        _clientId = clientId;
        _logger = logger;
        _systemClock = ReferenceEquals(timeProvider, TimeProvider.System);
    }

    /// <summary>The current entry, for tests and diagnostics.</summary>
    internal CachedToken? Current => _current;

    /// <summary>The hot path: one volatile read and one clock read; no lock, no allocation.</summary>
    public ValueTask<AccessToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        CachedToken? current = _current;
        if (current is not null && IsFresh(current))
        {
            return new ValueTask<AccessToken>(current.Token);
        }

        return AcquireAsync(renew: false, rejected: null, cancellationToken);
    }

    public ValueTask<AccessToken> RenewTokenAsync(AccessToken? rejected, CancellationToken cancellationToken)
        => AcquireAsync(renew: true, rejected, cancellationToken);

    private ValueTask<AccessToken> AcquireAsync(bool renew, AccessToken? rejected, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        TaskCompletionSource<CachedToken>? owner = null;
        Task<CachedToken> flight;
        long generation;
        lock (_gate)
        {
            CachedToken? current = _current;
            bool isRejected = renew && current is not null && (rejected is null || ReferenceEquals(current.Token, rejected));
            if (isRejected)
            {
                _current = null;
                EvictShared(current!.Token);
            }
            else if (current is not null && IsFresh(current) && !ReferenceEquals(current.Token, rejected))
            {
                return new ValueTask<AccessToken>(current.Token);
            }

            if (_inflight is null)
            {
                owner = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                _inflight = owner.Task;
            }

            flight = _inflight;
            generation = _generation;
        }

        if (owner is not null)
        {
            _ = RunFetchAsync(owner, rejected, generation);
        }

        return new ValueTask<AccessToken>(WaitAsync(flight, cancellationToken));
    }

    /// <summary>
    /// Makes a token obtained outside the fetch delegate (an authorization-code exchange) the current one, so callers
    /// get it and later renewals replace it as usual.
    /// </summary>
    public AccessToken Publish(TokenResponse response)
    {
        CachedToken entry = CreateEntry(response);
        lock (_gate)
        {
            _current = entry;
            _generation++;
        }

        StoreShared(entry);
        return entry.Token;
    }

    private static async Task<AccessToken> WaitAsync(Task<CachedToken> flight, CancellationToken cancellationToken)
        => (await flight.WaitAsync(cancellationToken).ConfigureAwait(false)).Token;

    private async Task RunFetchAsync(TaskCompletionSource<CachedToken> owner, AccessToken? rejected, long generation)
    {
        try
        {
            CachedToken entry;
            if (_sharedCache is not null
                && _sharedCache.TryGetValue(_cacheKey, out CachedToken? shared)
                && shared is not null
                && IsFresh(shared)
                && !ReferenceEquals(shared.Token, rejected))
            {
                Log.TokenFromSharedCache(_logger, _clientId);
                entry = shared;
            }
            else
            {
                TokenResponse response = await _fetch(_disposed.Token).ConfigureAwait(false);
                entry = CreateEntry(response);
                StoreShared(entry);
            }

            lock (_gate)
            {
                if (_generation == generation)
                {
                    _current = entry;
                }
                else if (_current is { } published)
                {
                    // A sign-in published a token while this fetch ran (for the previous user, perhaps): it wins.
                    entry = published;
                }

                _inflight = null;
            }

            owner.TrySetResult(entry);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _inflight = null;
            }

            owner.TrySetException(ex);
            _ = owner.Task.Exception; // observed: callers that gave up must not cause UnobservedTaskException noise
        }
    }

    /// <summary>Stores in the app's cache; a cache that refuses (a size limit, say) costs sharing, never the token.</summary>
    private void StoreShared(CachedToken entry)
    {
        if (_sharedCache is null)
        {
            return;
        }

        try
        {
            // Relative to now: the cache compares expiry with its own clock, which need not be ours (a fake or offset
            // TimeProvider). An absolute instant from our clock would be in the past for a cache whose clock runs ahead.
            TimeSpan untilRefresh = new DateTimeOffset(entry.RefreshAtTicks, TimeSpan.Zero) - _timeProvider.GetUtcNow();
            if (untilRefresh <= TimeSpan.Zero)
            {
                return;
            }

            using ICacheEntry cacheEntry = _sharedCache.CreateEntry(_cacheKey);
            cacheEntry.Value = entry;
            cacheEntry.AbsoluteExpirationRelativeToNow = untilRefresh;
            cacheEntry.Size = 1;
        }
#pragma warning disable CA1031 // a shared cache is an optimisation: whatever it throws must not fail the token request
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.SharedCacheFailed(_logger, _clientId, ex.GetType().Name);
        }
    }

    /// <summary>Removes the shared entry only if it still holds the rejected token, not a newer one another provider stored.</summary>
    private void EvictShared(AccessToken rejected)
    {
        if (_sharedCache is not null && _sharedCache.TryGetValue(_cacheKey, out CachedToken? shared) && ReferenceEquals(shared?.Token, rejected))
        {
            _sharedCache.Remove(_cacheKey);
        }
    }

    private bool IsFresh(CachedToken entry)
        => _systemClock
            ? Environment.TickCount64 < entry.RefreshAtTickCount
            : _timeProvider.GetUtcNow().UtcTicks < entry.RefreshAtTicks;

    private CachedToken CreateEntry(TokenResponse response)
    {
        AccessToken token = response.AccessToken;
        TimeSpan lifetime = token.ExpiresAt - response.IssuedAt;
        TimeSpan buffer = TimeSpan.FromTicks(Math.Min(_refreshBeforeExpiry.Ticks, (long)(lifetime.Ticks * OAuth2Defaults.MaxRefreshBufferFraction)));
        DateTimeOffset refreshAt = token.ExpiresAt - buffer;
        long untilRefreshMs = Math.Max(0, (long)(refreshAt - _timeProvider.GetUtcNow()).TotalMilliseconds);
        return new CachedToken(token, response.RefreshToken, refreshAt.UtcTicks, Environment.TickCount64 + untilRefreshMs);
    }

    public void Dispose()
    {
        // Cancels a token request in flight; the source is not disposed so late readers of its token never throw.
        _disposed.Cancel();
    }
}

/// <summary>
/// A token with the instant it should be replaced (as UTC ticks, and as the <see cref="Environment.TickCount64"/> value
/// of the same moment for the system clock's fast check), and the refresh token that came with it, if any. Never prints either.
/// </summary>
internal sealed record CachedToken(AccessToken Token, string? RefreshToken, long RefreshAtTicks, long RefreshAtTickCount)
{
    public override string ToString() => $"CachedToken {{ {Token}, RefreshToken = {(RefreshToken is null ? "(none)" : "(redacted)")} }}";
}
