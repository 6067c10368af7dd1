using Microsoft.Extensions.Logging;
using OAuth2Client.Diagnostics;

namespace OAuth2Client.Caching;

/// <summary>
/// Keeps a distributed cache from ever being a single point of failure: every call gets a short timeout; a call that
/// fails or times out starts an outage, during which the cache is not called at all for the back-off period; the next
/// call after it probes. An outage is logged once when it starts (Warning) and once when the cache answers again
/// (Information), never per request. Until the cache has answered once, a call may take up to
/// <see cref="DistributedTokenCacheDefaults.FirstCallTimeout"/>: the first call also opens the connection, which on a
/// busy machine starting many instances at once can take longer than a normal call.
/// </summary>
internal sealed class DistributedCacheGuard(TimeSpan timeout, TimeSpan backoff, TimeProvider timeProvider, ILogger logger, string clientName)
{
    private long _skipUntilTicks;
    private int _down;
    private bool _answered;

    /// <summary>Whether the cache is being left alone after a failure.</summary>
    public bool Skipping => Volatile.Read(ref _down) == 1 && timeProvider.GetUtcNow().UtcTicks < Volatile.Read(ref _skipUntilTicks);

    /// <summary>Runs <paramref name="operation"/> with the timeout; <c>Ok</c> is <see langword="false"/> when skipped, failed or timed out.</summary>
    public async ValueTask<(bool Ok, T? Value)> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        if (Skipping)
        {
            return (false, default);
        }

        TimeSpan limit = Volatile.Read(ref _answered) || timeout >= DistributedTokenCacheDefaults.FirstCallTimeout ? timeout : DistributedTokenCacheDefaults.FirstCallTimeout;
#if NETSTANDARD2_0
        using CancellationTokenSource timeoutSource = timeProvider.CreateCancellationTokenSource(limit);
#else
        using var timeoutSource = new CancellationTokenSource(limit, timeProvider);
#endif
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            // WaitAsync: a cache client that ignores its cancellation token must not hold the caller either.
            T value = await operation(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
            Volatile.Write(ref _answered, true);
            if (Interlocked.Exchange(ref _down, 0) == 1)
            {
                Log.DistributedCacheRecovered(logger, clientName);
            }

            return (true, value);
        }
#pragma warning disable CA1031 // the distributed cache is an optimisation: whatever it throws only starts an outage
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _skipUntilTicks, timeProvider.GetUtcNow().UtcTicks + backoff.Ticks);
            if (Interlocked.Exchange(ref _down, 1) == 0)
            {
                string reason = timeoutSource.IsCancellationRequested ? $"no answer within {limit.TotalMilliseconds:0} ms" : ex.GetType().Name;
                Log.DistributedCacheUnavailable(logger, clientName, reason, backoff);
            }

            return (false, default);
        }
    }
}
