using System.Diagnostics;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>
/// An <see cref="IOAuth2TokenProvider"/> between <see cref="BearerTokenHandler"/> and the real provider that counts the
/// token lookups that did not complete at once (the caller waited for a token request) and how long they waited. A
/// request's latency also moves with the machine's load; whether it waited for a token does not. The lookup that
/// completes at once costs one interface call more than without the recorder, a few nanoseconds.
/// </summary>
internal sealed class TokenWaitRecorder(IOAuth2TokenProvider inner) : IOAuth2TokenProvider
{
    private int _waits;
    private int _longWaits;
    private long _longestWaitTicks;

    /// <summary>Token lookups that waited, since <see cref="Reset"/>.</summary>
    public int Waits => Volatile.Read(ref _waits);

    /// <summary>Token lookups that waited 10 ms or more, since <see cref="Reset"/>.</summary>
    public int LongWaits => Volatile.Read(ref _longWaits);

    /// <summary>The longest wait since <see cref="Reset"/>, in milliseconds.</summary>
    public double LongestWaitMs => TimeSpan.FromTicks(Interlocked.Read(ref _longestWaitTicks)).TotalMilliseconds;

    public void Reset()
    {
        Volatile.Write(ref _waits, 0);
        Volatile.Write(ref _longWaits, 0);
        Interlocked.Exchange(ref _longestWaitTicks, 0);
    }

    public ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        ValueTask<OAuth2Token> pending = inner.GetTokenAsync(cancellationToken);
        return pending.IsCompleted ? pending : WaitedAsync(pending, start);
    }

    public ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejectedToken, CancellationToken cancellationToken = default)
        => inner.RenewTokenAsync(rejectedToken, cancellationToken);

    private async ValueTask<OAuth2Token> WaitedAsync(ValueTask<OAuth2Token> pending, long start)
    {
        Interlocked.Increment(ref _waits);
        try
        {
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            TimeSpan waited = Stopwatch.GetElapsedTime(start);
            if (waited >= TimeSpan.FromMilliseconds(10))
            {
                Interlocked.Increment(ref _longWaits);
            }

            long longest;
            do
            {
                longest = Interlocked.Read(ref _longestWaitTicks);
            }
            while (waited.Ticks > longest && Interlocked.CompareExchange(ref _longestWaitTicks, waited.Ticks, longest) != longest);
        }
    }
}
