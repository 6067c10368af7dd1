namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>
/// The system clock plus an offset that only grows. Jumping it forward makes a cached token stale at a chosen moment
/// without waiting for it to expire. Timers and timestamps stay on the real clock, so timeouts and delays are real.
/// </summary>
internal sealed class ShiftableTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Volatile.Read(ref _offsetTicks));

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    /// <summary>Jumps the clock forward so that it reads <paramref name="instant"/> now; the clock never goes back.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="instant"/> has already passed on this clock.</exception>
    public void AdvanceTo(DateTimeOffset instant)
    {
        TimeSpan by = instant - GetUtcNow();
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(instant), instant, $"The clock already reads {GetUtcNow():O}; it only moves forward.");
        }

        Advance(by);
    }
}
