using Microsoft.Extensions.Logging;
using OAuth2Client.Diagnostics;
using OAuth2Client.Endpoint;
using OAuth2Client.Settings;

namespace OAuth2Client.Caching;

/// <summary>
/// The only stateful piece: the current token (L1, a field read without locks), an optional shared cache (L2), and a
/// single flight, so that any number of callers cause one token request. Every token enters by one path: a flight runs
/// a fetch, and its result becomes the current token. A caller's cancellation stops only its own wait; the flight goes
/// on for the others. Failures are never cached. The source does not know how a token is obtained.
/// </summary>
internal sealed class TokenSource : IDisposable
{
    private readonly Func<CancellationToken, Task<TokenResponse>> _renew;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _refreshBeforeExpiry;
    private readonly ISharedTokenCache? _sharedCache;
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

    /// <summary>The flight in progress, if any. A newer flight (a sign-in) replaces it; the older one then yields to it.</summary>
    private Task<CachedToken>? _inflight;

    /// <param name="renew">How to obtain a new token when none is fresh: the provider's grant.</param>
    /// <param name="timeProvider">The clock for freshness.</param>
    /// <param name="refreshBeforeExpiry">How long before expiry a token is replaced (capped at a quarter of its lifetime).</param>
    /// <param name="sharedCache">An optional cache shared with other sources of the same settings.</param>
    /// <param name="cacheKey">The key in <paramref name="sharedCache"/>; holds no secret in clear.</param>
    /// <param name="clientId">For logs.</param>
    /// <param name="logger">Where to log.</param>
    public TokenSource(
        Func<CancellationToken, Task<TokenResponse>> renew,
        TimeProvider timeProvider,
        TimeSpan refreshBeforeExpiry,
        ISharedTokenCache? sharedCache,
        string cacheKey,
        string clientId,
        ILogger logger)
    {
        _renew = renew;
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

        return AcquireAsync(rejected: null, renew: false, cancellationToken);
    }

    /// <summary>
    /// Replaces <paramref name="rejected"/> (or, when <see langword="null"/>, whatever is current) with a new token. When
    /// the current token is no longer the rejected one, someone has renewed it already and it is returned as is.
    /// </summary>
    public ValueTask<AccessToken> RenewTokenAsync(AccessToken? rejected, CancellationToken cancellationToken)
        => AcquireAsync(rejected, renew: true, cancellationToken);

    /// <summary>
    /// Makes the token that <paramref name="fetch"/> obtains (a sign-in's code exchange) the current one, through the
    /// same flight path as any renewal. It supersedes a renewal in flight: that renewal's callers get this token.
    /// </summary>
    public async Task<AccessToken> ReplaceAsync(Func<CancellationToken, Task<TokenResponse>> fetch, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var owner = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _inflight = owner.Task;
        }

        _ = RunFlightAsync(owner, fetch, rejected: null, useSharedCache: false);
        return (await owner.Task.WaitAsync(cancellationToken).ConfigureAwait(false)).Token;
    }

    private ValueTask<AccessToken> AcquireAsync(AccessToken? rejected, bool renew, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        TaskCompletionSource<CachedToken>? owner = null;
        Task<CachedToken> flight;
        lock (_gate)
        {
            CachedToken? current = _current;
            if (renew && current is not null && (rejected is null || ReferenceEquals(current.Token, rejected)))
            {
                _current = null;
                rejected = current.Token;
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
        }

        if (owner is not null)
        {
            _ = RunFlightAsync(owner, _renew, rejected, useSharedCache: true);
        }

        return new ValueTask<AccessToken>(WaitAsync(flight, cancellationToken));
    }

    private static async Task<AccessToken> WaitAsync(Task<CachedToken> flight, CancellationToken cancellationToken)
        => (await flight.WaitAsync(cancellationToken).ConfigureAwait(false)).Token;

    private async Task RunFlightAsync(TaskCompletionSource<CachedToken> owner, Func<CancellationToken, Task<TokenResponse>> fetch, AccessToken? rejected, bool useSharedCache)
    {
        try
        {
            CachedToken entry = (useSharedCache ? await FromSharedCacheAsync(rejected).ConfigureAwait(false) : null)
                ?? await FetchAndShareAsync(fetch).ConfigureAwait(false);

            Task<CachedToken>? successor = null;
            lock (_gate)
            {
                if (ReferenceEquals(_inflight, owner.Task))
                {
                    _current = entry;
                    _inflight = null;
                }
                else
                {
                    // A newer flight (a sign-in) started meanwhile: it decides the current token, and this flight's
                    // callers get that one, not a token for what may have been another user.
                    successor = _inflight;
                    entry = _current ?? entry;
                }
            }

            if (successor is not null)
            {
                try
                {
                    entry = await successor.ConfigureAwait(false);
                }
#pragma warning disable CA1031 // the newer flight failed (a sign-in was refused): this flight's own token still holds
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }

            owner.TrySetResult(entry);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                if (ReferenceEquals(_inflight, owner.Task))
                {
                    _inflight = null;
                }
            }

            owner.TrySetException(ex);
            _ = owner.Task.Exception; // observed: callers that gave up must not cause UnobservedTaskException noise
        }
    }

    private async Task<CachedToken> FetchAndShareAsync(Func<CancellationToken, Task<TokenResponse>> fetch)
    {
        TokenResponse response = await fetch(_disposed.Token).ConfigureAwait(false);
        CachedToken entry = CreateEntry(response);
        await StoreSharedAsync(entry).ConfigureAwait(false);
        return entry;
    }

    /// <summary>A fresh token another source of the same settings stored, unless it is the one just rejected (which is evicted).</summary>
    private async ValueTask<CachedToken?> FromSharedCacheAsync(AccessToken? rejected)
    {
        if (_sharedCache is null)
        {
            return null;
        }

        try
        {
            if (rejected is not null)
            {
                await _sharedCache.RemoveAsync(_cacheKey, rejected, _disposed.Token).ConfigureAwait(false);
            }

            CachedToken? shared = await _sharedCache.GetAsync(_cacheKey, _disposed.Token).ConfigureAwait(false);
            if (shared is not null && IsFresh(shared) && !ReferenceEquals(shared.Token, rejected))
            {
                Log.TokenFromSharedCache(_logger, _clientId);
                return shared;
            }
        }
#pragma warning disable CA1031 // a shared cache is an optimisation: whatever it throws must not fail the token request
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.SharedCacheFailed(_logger, _clientId, ex.GetType().Name);
        }

        return null;
    }

    /// <summary>Stores in the shared cache until the token's refresh point; a cache that refuses costs sharing, never the token.</summary>
    private async ValueTask StoreSharedAsync(CachedToken entry)
    {
        TimeSpan untilRefresh = new DateTimeOffset(entry.RefreshAtTicks, TimeSpan.Zero) - _timeProvider.GetUtcNow();
        if (_sharedCache is null || untilRefresh <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await _sharedCache.SetAsync(_cacheKey, entry, untilRefresh, _disposed.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // see FromSharedCacheAsync
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.SharedCacheFailed(_logger, _clientId, ex.GetType().Name);
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
        return new CachedToken(token, refreshAt.UtcTicks, Environment.TickCount64 + untilRefreshMs);
    }

    public void Dispose()
    {
        // Cancels a token request in flight; the source is not disposed so late readers of its token never throw.
        _disposed.Cancel();
    }
}
