namespace OAuth2Client.Caching;

/// <summary>The defaults of <see cref="DistributedTokenCacheOptions"/> and the fixed timings of fleet coordination.</summary>
internal static class DistributedTokenCacheDefaults
{
    public static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan OutageBackoff = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(10);

    /// <summary>The time allowed to the calls before the cache first answers: they open the connection.</summary>
    public static readonly TimeSpan FirstCallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long a lease writer waits before reading the lease back: writes racing with its own must have landed by then.</summary>
    public static readonly TimeSpan LeaseSettleDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>The first and the longest pause between two looks for the lease holder's token.</summary>
    public static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(20);
    public static readonly TimeSpan MaxPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>Instances that lost the lease wait for the winner's token at most this fraction of the token request timeout (and at least 1.5 leases).</summary>
    public const double MaxWaitFraction = 0.5;
}
