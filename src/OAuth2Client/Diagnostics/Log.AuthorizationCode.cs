using Microsoft.Extensions.Logging;

namespace OAuth2Client.Diagnostics;

/// <summary>
/// Log messages of the authorization-code grant (event ids 20 and up). None takes a code, a state, a verifier, a
/// token or a query string: endpoints are redacted and the loopback redirect URI carries no query when logged.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = EventIds.SignInStarted, EventName = nameof(EventIds.SignInStarted), Level = LogLevel.Information,
        Message = "Browser sign-in for client '{ClientName}' started at {AuthorizationEndpoint}; waiting up to {Timeout} for the redirect to {RedirectUri}")]
    public static partial void SignInStarted(ILogger logger, string clientName, string authorizationEndpoint, TimeSpan timeout, Uri redirectUri);

    [LoggerMessage(EventId = EventIds.BrowserNotStarted, EventName = nameof(EventIds.BrowserNotStarted), Level = LogLevel.Warning,
        Message = "No browser could be started ({Reason}); the sign-in address was written out for the user to open")]
    public static partial void BrowserNotStarted(ILogger logger, string reason);

    [LoggerMessage(EventId = EventIds.LoopbackRequestIgnored, EventName = nameof(EventIds.LoopbackRequestIgnored), Level = LogLevel.Debug, SkipEnabledCheck = true,
        Message = "The sign-in listener answered {StatusCode} to {Method} {Path}: it only receives the sign-in redirect")]
    private static partial void LoopbackRequestIgnoredCore(ILogger logger, int statusCode, string method, string path);

    /// <summary>Logs a request the listener refused; method and path come from any local process, so they are escaped and cut.</summary>
    public static void LoopbackRequestIgnored(ILogger logger, int statusCode, string method, string path)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            string safeMethod = Redaction.Quote(method.Length <= 16 ? method : method[..16]);
            string safePath = Redaction.Quote(path);
            LoopbackRequestIgnoredCore(logger, statusCode, safeMethod, safePath);
        }
    }

    [LoggerMessage(EventId = EventIds.SignedIn, EventName = nameof(EventIds.SignedIn), Level = LogLevel.Information,
        Message = "Client '{ClientName}' exchanged an authorization code for an access token; refresh token: {RefreshTokenOutcome}")]
    public static partial void SignedIn(ILogger logger, string clientName, string refreshTokenOutcome);

    [LoggerMessage(EventId = EventIds.SignInFailed, EventName = nameof(EventIds.SignInFailed), Level = LogLevel.Warning,
        Message = "Sign-in for client '{ClientName}' failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string clientName, string reason);

    [LoggerMessage(EventId = EventIds.RefreshingToken, EventName = nameof(EventIds.RefreshingToken), Level = LogLevel.Debug,
        Message = "Renewing the access token of client '{ClientName}' with its refresh token")]
    public static partial void RefreshingToken(ILogger logger, string clientName);

    [LoggerMessage(EventId = EventIds.RefreshTokenRotated, EventName = nameof(EventIds.RefreshTokenRotated), Level = LogLevel.Debug,
        Message = "The token endpoint rotated the refresh token of client '{ClientName}'; the new one is stored")]
    public static partial void RefreshTokenRotated(ILogger logger, string clientName);

    [LoggerMessage(EventId = EventIds.RefreshTokenRejected, EventName = nameof(EventIds.RefreshTokenRejected), Level = LogLevel.Warning,
        Message = "The refresh token of client '{ClientName}' was rejected ({Error}) and removed; the user must sign in again")]
    public static partial void RefreshTokenRejected(ILogger logger, string clientName, string error);

    [LoggerMessage(EventId = EventIds.SignInRequired, EventName = nameof(EventIds.SignInRequired), Level = LogLevel.Information,
        Message = "Client '{ClientName}' has no refresh token stored; the user must sign in")]
    public static partial void SignInRequired(ILogger logger, string clientName);
}
