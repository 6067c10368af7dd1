using System.Security.Cryptography;
using OAuth2Client.Endpoint;
using OAuth2Client.Settings;

namespace OAuth2Client.Caching;

/// <summary>
/// The timing rules of a client's tokens, from its settings: where a token's refresh point and usable end lie, whether
/// renewal runs ahead in the background, how long the cool-down after failures lasts, and how old a token must be
/// before a 401 may renew it.
/// </summary>
internal sealed class TokenLifecycle
{
    public TokenLifecycle(TimeSpan refreshBeforeExpiry, bool refreshAhead, TimeSpan failureCooldown, TimeSpan maxFailureCooldown, TimeSpan minTokenAgeForRenewal)
    {
        RefreshBeforeExpiry = refreshBeforeExpiry;
        RefreshAhead = refreshAhead;
        FailureCooldown = failureCooldown;
        MaxFailureCooldown = maxFailureCooldown;
        MinTokenAgeForRenewal = minTokenAgeForRenewal;
    }

    public TimeSpan RefreshBeforeExpiry { get; }

    public bool RefreshAhead { get; }

    public TimeSpan FailureCooldown { get; }

    public TimeSpan MaxFailureCooldown { get; }

    public TimeSpan MinTokenAgeForRenewal { get; }

    /// <summary>Jitter, as a fraction of the refresh window; fixed in tests that pin the refresh point.</summary>
    internal Func<double> Random { get; init; } = static () => RandomNumberGenerator.GetInt32(1_000_000) / 1_000_000.0;

    public static TokenLifecycle From(ClientSettings settings)
        => new(settings.RefreshBeforeExpiry, settings.RefreshAhead, settings.FailureCooldown, settings.MaxFailureCooldown, settings.MinTokenAgeForRenewal);

    /// <summary>
    /// A cache entry for <paramref name="response"/>: the refresh point is <c>ExpiresAt − min(RefreshBeforeExpiry,
    /// lifetime / 4)</c>, moved later by up to a fifth of that window at random; the token stays usable until
    /// <c>ExpiresAt − min(5 s, lifetime / 20)</c>.
    /// </summary>
    public CachedToken CreateEntry(TokenResponse response, long nowTicks, long nowTickCount)
        => CreateEntry(response.OAuth2Token, response.IssuedAt.UtcTicks, nowTicks, nowTickCount);

    /// <summary>
    /// An entry for a token issued at <paramref name="issuedAtTicks"/>, with this instance's own jitter: a token another
    /// instance of a fleet published gets a refresh point of this instance, so the fleet's refresh points spread.
    /// </summary>
    public CachedToken CreateEntry(OAuth2Token token, long issuedAtTicks, long nowTicks, long nowTickCount)
    {
        long lifetime = token.ExpiresAt.UtcTicks - issuedAtTicks;
        long expiresAt = token.ExpiresAt.UtcTicks;
        long window = Math.Min(RefreshBeforeExpiry.Ticks, (long)(lifetime * OAuth2Defaults.MaxRefreshBufferFraction));
        long margin = Math.Min(OAuth2Defaults.ExpiryMargin.Ticks, lifetime / 20);
        long refreshAt = Math.Min(expiresAt - window + (long)(window * OAuth2Defaults.RefreshJitterFraction * Random()), expiresAt - margin);
        long untilRefreshMs = Math.Max(0, (refreshAt - nowTicks) / TimeSpan.TicksPerMillisecond);
        return new CachedToken(token, issuedAtTicks, refreshAt, expiresAt - margin, nowTickCount + untilRefreshMs);
    }

    /// <summary>The cool-down after <paramref name="consecutiveFailures"/> failures: doubling from <see cref="FailureCooldown"/>, ±20 % jitter, capped.</summary>
    public TimeSpan Cooldown(int consecutiveFailures)
    {
        double factor = Math.Pow(2, Math.Min(consecutiveFailures - 1, 30)) * (0.8 + (0.4 * Random()));
        double ticks = Math.Min(FailureCooldown.Ticks * factor, MaxFailureCooldown.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
