namespace OAuth2Client.Settings;

/// <summary>The defaults of <see cref="OAuth2ClientOptions"/> and the hard limits of the token client, in one place.</summary>
internal static class OAuth2Defaults
{
    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan TokenRequestTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TokenRequestRetryDelay = TimeSpan.FromMilliseconds(500);
    public const int MaxTokenRequestRetries = 2;
    public static readonly TimeSpan FailureCooldown = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxFailureCooldown = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MinTokenAgeForRenewal = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan ClientAssertionLifetime = TimeSpan.FromSeconds(60);
    public const int MaxTokenParameterSets = 16;
    public const int MaxTokenParameterSetsAllowed = 1000;

    /// <summary>
    /// A token is used until this long before it expires (capped at a twentieth of its lifetime): time for the request
    /// that carries it to arrive.
    /// </summary>
    public static readonly TimeSpan ExpiryMargin = TimeSpan.FromSeconds(5);

    /// <summary>The refresh point of each token is moved later by a random part of the refresh window up to this fraction, so a fleet spreads its renewals.</summary>
    public const double RefreshJitterFraction = 0.2;

    /// <summary>With the system clock, the wall clock is consulted at least this often (in milliseconds of monotonic time) to catch a suspend.</summary>
    public const long WallClockCheckIntervalMs = 1000;

    /// <summary>The refresh buffer never exceeds this fraction of a token's lifetime, so short-lived tokens are still reused.</summary>
    public const double MaxRefreshBufferFraction = 0.25;

    /// <summary>Longest lifetime a token is trusted for: a longer <c>expires_in</c> ("practically never expires") is clamped to it.</summary>
    public const long MaxExpiresInSeconds = 366L * 24 * 60 * 60;

    /// <summary>The same limit as a <see cref="TimeSpan"/>.</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromSeconds(MaxExpiresInSeconds);

    /// <summary>Largest token response read; a bigger one is rejected without being read to the end.</summary>
    public const int MaxTokenResponseBytes = 64 * 1024;

    /// <summary>Longest delay honoured from a token endpoint's <c>Retry-After</c>.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    public const int MaxRetriesAllowed = 10;
}
