namespace OAuth2Client.Settings;

/// <summary>The defaults of <see cref="OAuth2ClientOptions"/> and the hard limits of the token client, in one place.</summary>
internal static class OAuth2Defaults
{
    public static readonly TimeSpan RefreshBeforeExpiry = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultTokenLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan TokenRequestTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan TokenRequestRetryDelay = TimeSpan.FromMilliseconds(500);
    public const int MaxTokenRequestRetries = 2;

    /// <summary>The refresh buffer never exceeds this fraction of a token's lifetime, so short-lived tokens are still reused.</summary>
    public const double MaxRefreshBufferFraction = 0.25;

    /// <summary>Longest <c>expires_in</c> accepted; anything longer is treated as a broken response.</summary>
    public const long MaxExpiresInSeconds = 366L * 24 * 60 * 60;

    /// <summary>Largest token response read; a bigger one is rejected without being read to the end.</summary>
    public const int MaxTokenResponseBytes = 64 * 1024;

    /// <summary>Longest delay honoured from a token endpoint's <c>Retry-After</c>.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);

    public const int MaxRetriesAllowed = 10;
}
