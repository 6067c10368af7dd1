using Microsoft.Extensions.Logging;

namespace OAuth2Client.Diagnostics;

/// <summary>Log messages of the token lifecycle: refresh-ahead, stale-while-revalidate, cool-down, the 401 policy (event ids 9 to 13).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.TokenLifetimeClamped, EventName = nameof(EventIds.TokenLifetimeClamped), Level = LogLevel.Warning,
        Message = "The token endpoint of client '{ClientName}' issued a token whose expires_in exceeds {MaxLifetime}; it is trusted for {MaxLifetime} only (logged once per client)")]
    public static partial void TokenLifetimeClamped(ILogger logger, string clientName, TimeSpan maxLifetime);

    [LoggerMessage(EventId = EventIds.RefreshingAhead, EventName = nameof(EventIds.RefreshingAhead), Level = LogLevel.Debug,
        Message = "Renewing the access token of client '{ClientName}' in the background; the current one stays in use until {ExpiresAt:O}")]
    public static partial void RefreshingAhead(ILogger logger, string clientName, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = EventIds.RenewalFailedTokenStillValid, EventName = nameof(EventIds.RenewalFailedTokenStillValid), Level = LogLevel.Warning,
        Message = "Renewing the access token of client '{ClientName}' failed; the current token stays in use until it expires at {ExpiresAt:O}, next attempt in {Delay}: {Reason}")]
    public static partial void RenewalFailedTokenStillValid(ILogger logger, string clientName, DateTimeOffset expiresAt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = EventIds.CooldownStarted, EventName = nameof(EventIds.CooldownStarted), Level = LogLevel.Warning,
        Message = "Token requests for client '{ClientName}' failed {ConsecutiveFailures} time(s) in a row and no valid token is left; callers fail at once for {Cooldown}, then one request tries again")]
    public static partial void CooldownStarted(ILogger logger, string clientName, int consecutiveFailures, TimeSpan cooldown);

    [LoggerMessage(EventId = EventIds.UnauthorizedNotRenewed, EventName = nameof(EventIds.UnauthorizedNotRenewed), Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "{Method} {RequestUri} answered 401 but the token is not renewed ({Reason}); returning the response to the caller")]
    private static partial void UnauthorizedNotRenewed(ILogger logger, HttpMethod method, string requestUri, string reason);

    public static void UnauthorizedNotRenewed(ILogger logger, HttpRequestMessage request, string reason)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string requestUri = Redaction.RedactUri(request.RequestUri);
            UnauthorizedNotRenewed(logger, request.Method, requestUri, reason);
        }
    }
}
