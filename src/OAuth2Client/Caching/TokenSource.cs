using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OAuth2Client.Diagnostics;
using OAuth2Client.Endpoint;
using OAuth2Client.Settings;

namespace OAuth2Client.Caching;

/// <summary>Obtains a new token; <paramref name="allowRetries"/> is <see langword="false"/> for background renewals and cool-down probes.</summary>
internal delegate Task<TokenResponse> TokenFetch(bool allowRetries, CancellationToken cancellationToken);

/// <summary>
/// The only stateful piece: the current token (L1, a field read without locks), an optional shared cache (L2), and a
/// single flight, so that any number of callers cause one token request. Every token enters by one path: a flight runs
/// a fetch, and its result becomes the current token. The source does not know how a token is obtained.
/// </summary>
/// <remarks>
/// A token's life (see <see cref="TokenLifecycle"/>): <em>fresh</em> until its refresh point; then <em>usable</em> until
/// shortly before it expires, when a renewal runs in the background (refresh-ahead) and callers keep the token; then
/// <em>expired</em>, when callers wait for a renewal. A renewal that fails while the token is usable leaves it in use
/// (stale-while-revalidate) and the next try waits out a cool-down; with no usable token, callers during the cool-down
/// fail at once with the last error, and one caller after it probes. A caller's cancellation stops only its own wait.
/// </remarks>
internal sealed class TokenSource : IDisposable
{
    private readonly TokenFetch _fetch;
    private readonly TimeProvider _timeProvider;
    private readonly TokenLifecycle _lifecycle;
    private readonly ISharedTokenCache? _sharedCache;
    private readonly FleetTokenCache? _fleet;
    private readonly string _cacheKey;
    private readonly string _clientName;
    private readonly ILogger _logger;
    private readonly ClientTelemetry _telemetry;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>
    /// With the system clock, freshness is first checked against a monotonic tick count (a few ns) instead of the wall
    /// clock. The monotonic clock stops while the machine is suspended, so the wall clock is still consulted at least
    /// every <see cref="OAuth2Defaults.WallClockCheckIntervalMs"/> of monotonic time, and a token whose refresh point has
    /// passed by the wall clock is re-anchored. Any other <see cref="TimeProvider"/> is asked every time.
    /// </summary>
    private readonly bool _monotonicFastPath;

    /// <summary>The monotonic clock of the fast path: <c>Environment.TickCount64</c>, or a fake one in tests.</summary>
    private readonly Func<long>? _tickCountForTests;

    private CachedToken? _current;
    private FailureState? _failure;
    private long _wallCheckedAtTickCount;

    /// <summary>The flight in progress, if any. A newer flight (a sign-in) replaces it; the older one then yields to it.</summary>
    private Task<CachedToken>? _inflight;

    /// <summary>Sign-ins started (each gets the next number) and the number of the last one whose token became current.
    /// A renewal installs its token only if no sign-in has installed one since the renewal started (it may be for the
    /// previous user); a sign-in installs only if no newer sign-in already has.</summary>
    private long _signInsStarted;
    private long _signInInstalled;

    /// <summary>The token a 401 rejected while its renewal runs: put back if the renewal fails while it is still usable.</summary>
    private CachedToken? _rejectedEntry;

    public TokenSource(
        TokenFetch fetch,
        TimeProvider timeProvider,
        TokenLifecycle lifecycle,
        ISharedTokenCache? sharedCache,
        string cacheKey,
        string clientName,
        ILogger logger,
        Func<long>? tickCountForTests = null,
        FleetTokenCache? fleet = null,
        ClientTelemetry? telemetry = null)
    {
        _telemetry = telemetry ?? ClientTelemetry.ForName(clientName);
        _fleet = fleet;
        _fetch = fetch;
        _timeProvider = timeProvider;
        _lifecycle = lifecycle;
        _sharedCache = sharedCache;
        _cacheKey = cacheKey;
        _clientName = clientName;
        _logger = logger;
        _tickCountForTests = tickCountForTests;
        _monotonicFastPath = tickCountForTests is not null || ReferenceEquals(timeProvider, TimeProvider.System);
    }

    /// <summary>Level 2 in fleet mode, for tests.</summary>
    internal FleetTokenCache? Fleet => _fleet;

    /// <summary>The current entry, for tests and diagnostics.</summary>
    internal CachedToken? Current => Volatile.Read(ref _current);

    /// <summary>The failure state, for tests and diagnostics.</summary>
    internal FailureState? Failure => Volatile.Read(ref _failure);

    /// <summary>The hot path: one field read and one monotonic clock read; no lock, no allocation.</summary>
    public ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken)
    {
        CachedToken? current = Volatile.Read(ref _current);
        if (current is not null && _monotonicFastPath)
        {
            long tick = _tickCountForTests is null ? Environment.TickCount64 : _tickCountForTests();
            if (tick < current.RefreshAtTickCount && tick - Volatile.Read(ref _wallCheckedAtTickCount) < OAuth2Defaults.WallClockCheckIntervalMs)
            {
                _telemetry.L1Hit();
                return new ValueTask<OAuth2Token>(current.Token);
            }
        }

        return GetTokenSlow(current, cancellationToken);
    }

    /// <summary>
    /// Replaces <paramref name="rejected"/> (or, when <see langword="null"/>, whatever is current) with a new token. When
    /// the current token is no longer the rejected one, someone has renewed it already and it is returned as is. A
    /// rejected token younger than <see cref="TokenLifecycle.MinTokenAgeForRenewal"/> is returned as is too: the
    /// caller sees the same token and knows it was not renewed.
    /// </summary>
    public ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejected, CancellationToken cancellationToken)
        => rejected is null || !ClientTelemetry.Source.HasListeners()
            ? AcquireAsync(rejected, renew: true, cancellationToken)
            : RenewTracedAsync(rejected, cancellationToken);

    /// <summary>A renewal after a 401, as a span: a child of the API request's activity, <c>renewed</c> or <c>refused</c>.</summary>
    private async ValueTask<OAuth2Token> RenewTracedAsync(OAuth2Token rejected, CancellationToken cancellationToken)
    {
        using Activity? activity = _telemetry.StartActivity(ClientTelemetry.UnauthorizedRenewalSpan);
        try
        {
            OAuth2Token token = await AcquireAsync(rejected, renew: true, cancellationToken).ConfigureAwait(false);
            activity?.SetTag(ClientTelemetry.RenewalResult, ReferenceEquals(token, rejected) ? "refused" : "renewed");
            return token;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ClientTelemetry.Failed(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Makes the token that <paramref name="fetch"/> obtains (a sign-in's code exchange) the current one, through the
    /// same flight path as any renewal. It supersedes a renewal in flight: that renewal's callers get this token.
    /// </summary>
    public async Task<OAuth2Token> ReplaceAsync(Func<CancellationToken, Task<TokenResponse>> fetch, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var owner = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        long signIn;
        lock (_gate)
        {
            _inflight = owner.Task;
            signIn = ++_signInsStarted;
        }

        // The sign-in has one owner: canceling it cancels the exchange, not only the wait.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        await RunFlightAsync(owner, (_, _) => fetch(linked.Token), FlightKind.Replace, rejected: null, signIn).ConfigureAwait(false);
        return (await owner.Task.WaitAsync(cancellationToken).ConfigureAwait(false)).Token;
    }

    private ValueTask<OAuth2Token> GetTokenSlow(CachedToken? current, CancellationToken cancellationToken)
    {
        if (current is not null)
        {
            long now = UtcNowTicks();
            if (_monotonicFastPath)
            {
                current = CheckWallClock(current, now);
            }

            if (now < current.RefreshAtTicks)
            {
                _telemetry.L1Hit();
                return new ValueTask<OAuth2Token>(current.Token);
            }

            if (now < current.UsableUntilTicks && (_lifecycle.RefreshAhead || IsCoolingDown(now)))
            {
                StartBackgroundRenewal(now);
                _telemetry.L1Hit();
                return new ValueTask<OAuth2Token>(current.Token);
            }
        }

        _telemetry.L1Miss();
        return AcquireAsync(rejected: null, renew: false, cancellationToken);
    }

    private ValueTask<OAuth2Token> AcquireAsync(OAuth2Token? rejected, bool renew, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        TaskCompletionSource<CachedToken>? owner = null;
        Task<CachedToken> flight;
        FlightKind kind;
        long signIns;
        lock (_gate)
        {
            long now = UtcNowTicks();
            CachedToken? current = _current;
            bool forced = false;
            if (renew && current is not null && (rejected is null || ReferenceEquals(current.Token, rejected)))
            {
                if (rejected is null)
                {
                    // A forced renewal: the current token is not known to be bad, so everyone else keeps it meanwhile,
                    // and it stays if the renewal fails (its caller gets the error). The shared cache must not hand
                    // the same token back.
                    forced = true;
                    rejected = current.Token;
                }
                else if (now - current.IssuedAtTicks < _lifecycle.MinTokenAgeForRenewal.Ticks || IsCoolingDown(now))
                {
                    // Declined: too young to renew again, or the token endpoint is cooling down. The caller gets the
                    // same token back, and the 401 goes back to its caller.
                    _telemetry.UnauthorizedRenewal(renewed: false);
                    return new ValueTask<OAuth2Token>(current.Token);
                }
                else
                {
                    // Rejected by the API: nobody gets it while it is being renewed.
                    _telemetry.UnauthorizedRenewal(renewed: true);
                    _rejectedEntry = current;
                    Volatile.Write(ref _current, null);
                    rejected = current.Token;
                    current = null;
                }
            }

            if (forced)
            {
                if (_inflight is null && _failure is { } cooling && now < cooling.NextAttemptAtTicks)
                {
                    return now < current!.UsableUntilTicks
                        ? new ValueTask<OAuth2Token>(current.Token)
                        : ValueTask.FromException<OAuth2Token>(cooling.FailFast(now));
                }
            }
            else if (current is not null && !ReferenceEquals(current.Token, rejected) && now < current.UsableUntilTicks)
            {
                if (now < current.RefreshAtTicks || IsCoolingDown(now))
                {
                    return new ValueTask<OAuth2Token>(current.Token);
                }
            }
            else if (_inflight is null && _failure is { } failure && now < failure.NextAttemptAtTicks)
            {
                return ValueTask.FromException<OAuth2Token>(failure.FailFast(now));
            }

            if (_inflight is null)
            {
                owner = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                _inflight = owner.Task;
            }

            flight = _inflight;
            kind = forced ? FlightKind.Forced : _failure is null ? FlightKind.Foreground : FlightKind.Probe;
            signIns = _signInInstalled;
        }

        if (owner is not null)
        {
            // The first attempt after success may retry; a probe after failures asks once.
            _ = RunFlightAsync(owner, _fetch, kind, rejected, signIns);
        }

        return new ValueTask<OAuth2Token>(WaitAsync(flight, cancellationToken));
    }

    /// <summary>Starts one background renewal unless one is in flight or the cool-down forbids it. Never waits.</summary>
    private void StartBackgroundRenewal(long now)
    {
        if (Volatile.Read(ref _inflight) is not null || IsCoolingDown(now))
        {
            return;
        }

        TaskCompletionSource<CachedToken> owner;
        long signIns;
        lock (_gate)
        {
            if (_inflight is not null)
            {
                return;
            }

            owner = new TaskCompletionSource<CachedToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            _inflight = owner.Task;
            signIns = _signInInstalled;
        }

        if (Volatile.Read(ref _current) is { } current)
        {
            Log.RefreshingAhead(_logger, _clientName, current.Token.ExpiresAt);
        }

        // On the thread pool: the caller that crossed the refresh point must not pay for building and sending the request.
        // Its span is a root linked to the caller's activity: nobody waits for it, and the caller's request may end first.
        _telemetry.RefreshAheadStarted();
        ActivityContext trigger = Activity.Current?.Context ?? default;
        _ = Task.Run(() => RefreshAheadAsync(owner, trigger, signIns));
    }

    private async Task RefreshAheadAsync(TaskCompletionSource<CachedToken> owner, ActivityContext trigger, long signIns)
    {
        using Activity? activity = _telemetry.StartRootActivity(ClientTelemetry.RefreshAheadSpan, trigger);
        FailureState? before = Volatile.Read(ref _failure);
        await RunFlightAsync(owner, _fetch, FlightKind.Background, rejected: null, signIns).ConfigureAwait(false);

        // A failed renewal usually leaves the current token in use (the flight succeeds with it): the failure state says.
        if (activity is not null && Volatile.Read(ref _failure) is { } failure && !ReferenceEquals(failure, before))
        {
            ClientTelemetry.Failed(activity, failure.LastError);
        }
    }

    /// <summary>Whether a failure says the token endpoint is unavailable, rather than that it refused.</summary>
    private static bool IsOutage(Exception exception) => exception is OAuth2TokenException { StatusCode: null } and not OAuth2SignInRequiredException
        || exception is OAuth2TokenException { StatusCode: { } status } && TokenEndpointResilience.IsTransient(status);

    private bool IsCoolingDown(long now) => Volatile.Read(ref _failure) is { } failure && now < failure.NextAttemptAtTicks;

    private static async Task<OAuth2Token> WaitAsync(Task<CachedToken> flight, CancellationToken cancellationToken)
        => (await flight.WaitAsync(cancellationToken).ConfigureAwait(false)).Token;

    /// <summary>
    /// Runs one flight: the shared cache, else the fetch; then makes the token current unless a sign-in decides.
    /// <c>signIn</c> is, for a sign-in, its number; for a renewal, the number of the last sign-in installed when it
    /// started.
    /// </summary>
    private async Task RunFlightAsync(TaskCompletionSource<CachedToken> owner, TokenFetch fetch, FlightKind kind, OAuth2Token? rejected, long signIn)
    {
        CachedToken entry;
        try
        {
            bool allowRetries = kind is FlightKind.Foreground or FlightKind.Forced;
            entry = kind == FlightKind.Replace
                ? await FetchAndShareAsync(fetch, allowRetries).ConfigureAwait(false)
                : await FromSharedCacheAsync(rejected).ConfigureAwait(false)
                    ?? (_fleet is null
                        ? await FetchAndShareAsync(fetch, allowRetries).ConfigureAwait(false)
                        : await FromFleetAsync(fetch, allowRetries, rejected).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            Failed(owner, kind, ex);
            return;
        }

        // A sign-in still running decides what a renewal's callers get: its token, not one for what may have been the
        // previous user. If it fails, the renewal's token stands.
        Task<CachedToken>? successor;
        lock (_gate)
        {
            successor = kind != FlightKind.Replace && _inflight is { } running && !ReferenceEquals(running, owner.Task) ? running : null;
        }

        if (successor is not null)
        {
            try
            {
                owner.TrySetResult(await successor.ConfigureAwait(false));
                return;
            }
#pragma warning disable CA1031 // the sign-in failed (it was refused): this flight's own token stands
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        lock (_gate)
        {
            bool install = kind == FlightKind.Replace ? signIn > _signInInstalled : signIn == _signInInstalled;
            if (install)
            {
                Volatile.Write(ref _current, entry);
                Volatile.Write(ref _failure, null);
                _rejectedEntry = null;
                if (kind == FlightKind.Replace)
                {
                    _signInInstalled = signIn;
                }
            }
            else
            {
                // A sign-in installed its token after this flight started: that token is current, and it is what
                // this flight's callers get.
                entry = _current ?? entry;
            }

            if (ReferenceEquals(_inflight, owner.Task))
            {
                _inflight = null;
            }
        }

        owner.TrySetResult(entry);
    }

    /// <summary>
    /// A failed flight: a renewal's failure starts or lengthens the cool-down (whatever the error: a refresh that needs
    /// a sign-in is not retried on every call either). While a token is still usable the callers get it
    /// (stale-while-revalidate; a token a 401 rejected is put back, since the 401 may concern one resource only, and
    /// its caller returns the 401); otherwise they get the error. A sign-in's failure is its caller's alone.
    /// </summary>
    private void Failed(TaskCompletionSource<CachedToken> owner, FlightKind kind, Exception exception)
    {
        CachedToken? stillUsable = null;
        lock (_gate)
        {
            if (ReferenceEquals(_inflight, owner.Task))
            {
                _inflight = null;
            }

            long now = UtcNowTicks();
            if (kind != FlightKind.Replace && !_disposed.IsCancellationRequested && exception is not OperationCanceledException)
            {
                if (_current is null && _rejectedEntry is { } rejected && now < rejected.UsableUntilTicks && IsOutage(exception))
                {
                    // The token endpoint is down: the rejected token is put back (the 401 may concern one resource),
                    // rather than leave every caller without one. A refusal (a revoked refresh token) is final.
                    Volatile.Write(ref _current, rejected);
                }

                _rejectedEntry = null;
                int failures = (_failure?.ConsecutiveFailures ?? 0) + 1;
                TimeSpan cooldown = _lifecycle.Cooldown(failures);
                Volatile.Write(ref _failure, new FailureState(exception, failures, now + cooldown.Ticks));
                _telemetry.CooldownStarted(exception);
                string reason = exception is OAuth2TokenException ? exception.Message : exception.GetType().Name;
                if (_current is { } current && now < current.UsableUntilTicks)
                {
                    stillUsable = current;
                    Log.RenewalFailedTokenStillValid(_logger, _clientName, current.Token.ExpiresAt, cooldown, reason);
                }
                else
                {
                    Log.CooldownStarted(_logger, _clientName, failures, cooldown);
                }
            }
        }

        if (stillUsable is not null && kind != FlightKind.Forced)
        {
            owner.TrySetResult(stillUsable);
            return;
        }

        owner.TrySetException(_disposed.IsCancellationRequested && kind != FlightKind.Replace ? Disposed() : exception);
        _ = owner.Task.Exception; // observed: callers that gave up must not cause UnobservedTaskException noise
    }

    private async Task<CachedToken> FetchAndShareAsync(TokenFetch fetch, bool allowRetries)
    {
        TokenResponse response = await fetch(allowRetries, _disposed.Token).ConfigureAwait(false);
        CachedToken entry = _lifecycle.CreateEntry(response, UtcNowTicks(), TickCount());
        await StoreSharedAsync(entry).ConfigureAwait(false);
        return entry;
    }

    /// <summary>
    /// Level 2 (fleet mode): a newer token another instance published, else this instance's fetch or the lease holder's.
    /// A published token is adopted only if it is not the one this source holds or a 401 rejected, and only with this
    /// source's own (jittered) refresh point still ahead. An adopted token is shared in-process too.
    /// </summary>
    private async Task<CachedToken> FromFleetAsync(TokenFetch fetch, bool allowRetries, OAuth2Token? rejected)
    {
        string? held = Volatile.Read(ref _current)?.Token.Value;
        CachedToken? adopted = null;
        CachedToken entry = await _fleet!.GetOrFetchAsync(
            shared =>
            {
                if (string.Equals(shared.Token.Value, held, StringComparison.Ordinal) || string.Equals(shared.Token.Value, rejected?.Value, StringComparison.Ordinal))
                {
                    return null;
                }

                CachedToken candidate = _lifecycle.CreateEntry(shared.Token, shared.IssuedAtTicks, UtcNowTicks(), TickCount());
                return UtcNowTicks() < candidate.RefreshAtTicks ? adopted = candidate : null;
            },
            _ => FetchAndShareAsync(fetch, allowRetries),
            _disposed.Token).ConfigureAwait(false);
        if (ReferenceEquals(entry, adopted))
        {
            // A fetched token was shared in-process by FetchAndShareAsync; an adopted one is shared here.
            await StoreSharedAsync(entry).ConfigureAwait(false);
        }

        return entry;
    }

    /// <summary>A fresh token another source of the same settings stored, unless it is the one just rejected (which is evicted).</summary>
    private async ValueTask<CachedToken?> FromSharedCacheAsync(OAuth2Token? rejected)
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
            bool hit = shared is not null && UtcNowTicks() < shared.RefreshAtTicks && !ReferenceEquals(shared.Token, rejected);
            _telemetry.L2Lookup(hit);
            if (hit)
            {
                Log.TokenFromSharedCache(_logger, _clientName);

                // Re-anchored on this source's monotonic clock: the entry may come from another process.
                return shared! with { RefreshAtTickCount = TickCount() + ((shared.RefreshAtTicks - UtcNowTicks()) / TimeSpan.TicksPerMillisecond) };
            }
        }
#pragma warning disable CA1031 // a shared cache is an optimisation: whatever it throws must not fail the token request
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.SharedCacheFailed(_logger, _clientName, ex.GetType().Name);
        }

        return null;
    }

    /// <summary>Stores in the shared cache until the token's refresh point; a cache that refuses costs sharing, never the token.</summary>
    private async ValueTask StoreSharedAsync(CachedToken entry)
    {
        TimeSpan untilRefresh = TimeSpan.FromTicks(entry.RefreshAtTicks - UtcNowTicks());
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
            Log.SharedCacheFailed(_logger, _clientName, ex.GetType().Name);
        }
    }

    /// <summary>
    /// Compares the entry's monotonic refresh point with the wall clock's. After a suspend the monotonic clock is behind,
    /// so the entry would look fresh for too long: it is re-anchored, and the current entry replaced by the corrected one.
    /// </summary>
    private CachedToken CheckWallClock(CachedToken entry, long nowTicks)
    {
        long tick = TickCount();
        Volatile.Write(ref _wallCheckedAtTickCount, tick);
        long expected = tick + ((entry.RefreshAtTicks - nowTicks) / TimeSpan.TicksPerMillisecond);
        if (Math.Abs(expected - entry.RefreshAtTickCount) <= OAuth2Defaults.WallClockCheckIntervalMs / 10)
        {
            return entry;
        }

        CachedToken anchored = entry with { RefreshAtTickCount = expected };
        Interlocked.CompareExchange(ref _current, anchored, entry);
        return anchored;
    }

    private long UtcNowTicks() => _timeProvider.GetUtcNow().UtcTicks;

    private long TickCount() => _tickCountForTests is null ? Environment.TickCount64 : _tickCountForTests();

    private void ThrowIfDisposed()
    {
        if (_disposed.IsCancellationRequested)
        {
            throw Disposed();
        }
    }

    /// <summary>Names what the caller knows (the provider and its client), not this internal type.</summary>
    private ObjectDisposedException Disposed() => new(
        "OAuth2 token provider",
        $"The OAuth2 token provider of client '{_clientName}' was disposed (directly, or with the BearerTokenHandler, HttpClient or service provider that owned it); no token can be obtained from it.");

    public void Dispose()
    {
        // Cancels a token request in flight; the source is not disposed so late readers of its token never throw.
        _disposed.Cancel();
    }

    private enum FlightKind
    {
        /// <summary>Callers wait and no failure is remembered: the token endpoint gets its retries.</summary>
        Foreground,

        /// <summary>Callers wait after earlier failures: one attempt, the cool-down's probe.</summary>
        Probe,

        /// <summary>Nobody waits; the current token is still usable: one attempt.</summary>
        Background,

        /// <summary>A sign-in: supersedes the flight in progress; its failure is the signing-in caller's alone.</summary>
        Replace,

        /// <summary>A renewal someone asked for while the current token is fine: a failure reaches that caller, and the token stays.</summary>
        Forced,
    }
}
