using Microsoft.Extensions.Logging;

namespace OAuth2Client.Internal;

/// <summary>
/// Log messages of the authorization-code grant (event ids 20 and up). None takes a code, a state, a verifier, a
/// token or a query string: endpoints are redacted and the loopback redirect URI carries no query when logged.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 20, EventName = "SignInStarted", Level = LogLevel.Information,
        Message = "Browser sign-in for client '{ClientId}' started at {AuthorizationEndpoint}; waiting up to {Timeout} for the redirect to {RedirectUri}")]
    public static partial void SignInStarted(ILogger logger, string clientId, string authorizationEndpoint, TimeSpan timeout, Uri redirectUri);

    [LoggerMessage(EventId = 21, EventName = "BrowserNotStarted", Level = LogLevel.Warning,
        Message = "No browser could be started ({Reason}); the sign-in address was written out for the user to open")]
    public static partial void BrowserNotStarted(ILogger logger, string reason);

    [LoggerMessage(EventId = 22, EventName = "LoopbackRequestIgnored", Level = LogLevel.Debug,
        Message = "The sign-in listener answered {StatusCode} to {Method} {Path}: it only receives the sign-in redirect")]
    public static partial void LoopbackRequestIgnored(ILogger logger, int statusCode, string method, string path);

    [LoggerMessage(EventId = 23, EventName = "SignedIn", Level = LogLevel.Information,
        Message = "Client '{ClientId}' exchanged an authorization code for an access token; refresh token: {RefreshTokenOutcome}")]
    public static partial void SignedIn(ILogger logger, string clientId, string refreshTokenOutcome);

    [LoggerMessage(EventId = 24, EventName = "SignInFailed", Level = LogLevel.Warning,
        Message = "Sign-in for client '{ClientId}' failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 25, EventName = "RefreshingToken", Level = LogLevel.Debug,
        Message = "Renewing the access token of client '{ClientId}' with its refresh token")]
    public static partial void RefreshingToken(ILogger logger, string clientId);

    [LoggerMessage(EventId = 26, EventName = "RefreshTokenRotated", Level = LogLevel.Debug,
        Message = "The token endpoint rotated the refresh token of client '{ClientId}'; the new one is stored")]
    public static partial void RefreshTokenRotated(ILogger logger, string clientId);

    [LoggerMessage(EventId = 27, EventName = "RefreshTokenRejected", Level = LogLevel.Warning,
        Message = "The refresh token of client '{ClientId}' was rejected ({Error}) and removed; the user must sign in again")]
    public static partial void RefreshTokenRejected(ILogger logger, string clientId, string error);

    [LoggerMessage(EventId = 28, EventName = "SignInRequired", Level = LogLevel.Information,
        Message = "Client '{ClientId}' has no refresh token stored; the user must sign in")]
    public static partial void SignInRequired(ILogger logger, string clientId);
}
