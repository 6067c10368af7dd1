using Microsoft.Extensions.Logging;

namespace OAuth2Client.Internal;

/// <summary>
/// Every log message of the core package, with stable event ids. None takes a secret, a token, a Basic header or a
/// query string: endpoints and request URIs are passed through <see cref="UriRedaction"/> first.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, EventName = "RequestingToken", Level = LogLevel.Debug,
        Message = "Requesting an access token for client '{ClientId}' from {TokenEndpoint}")]
    public static partial void RequestingToken(ILogger logger, string clientId, string tokenEndpoint);

    [LoggerMessage(EventId = 2, EventName = "TokenAcquired", Level = LogLevel.Information,
        Message = "Access token acquired for client '{ClientId}'; it lives {Lifetime}")]
    public static partial void TokenAcquired(ILogger logger, string clientId, TimeSpan lifetime);

    [LoggerMessage(EventId = 3, EventName = "TokenRequestFailed", Level = LogLevel.Error,
        Message = "Access token request for client '{ClientId}' failed: {Reason}")]
    public static partial void TokenRequestFailed(ILogger logger, string clientId, string reason);

    [LoggerMessage(EventId = 4, EventName = "RetryingTokenRequest", Level = LogLevel.Warning,
        Message = "Access token request for client '{ClientId}' failed with {Reason}; attempt {Attempt} in {Delay}")]
    public static partial void RetryingTokenRequest(ILogger logger, string clientId, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 5, EventName = "RenewingAfterUnauthorized", Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "{Method} {RequestUri} answered 401; renewing the access token and sending the request once more")]
    private static partial void RenewingAfterUnauthorized(ILogger logger, HttpMethod method, string requestUri);

    [LoggerMessage(EventId = 6, EventName = "UnauthorizedAfterRenewal", Level = LogLevel.Warning, SkipEnabledCheck = true,
        Message = "{Method} {RequestUri} answered 401 again with a freshly renewed access token; returning the response to the caller")]
    private static partial void UnauthorizedAfterRenewal(ILogger logger, HttpMethod method, string requestUri);

    [LoggerMessage(EventId = 7, EventName = "TokenFromSharedCache", Level = LogLevel.Debug,
        Message = "Access token for client '{ClientId}' taken from the shared cache")]
    public static partial void TokenFromSharedCache(ILogger logger, string clientId);

    [LoggerMessage(EventId = 8, EventName = "SharedCacheFailed", Level = LogLevel.Warning,
        Message = "The shared cache refused the access token of client '{ClientId}' ({ExceptionType}); the token is used but not shared")]
    public static partial void SharedCacheFailed(ILogger logger, string clientId, string exceptionType);

    public static void RenewingAfterUnauthorized(ILogger logger, HttpRequestMessage request)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string requestUri = UriRedaction.Redact(request.RequestUri);
            RenewingAfterUnauthorized(logger, request.Method, requestUri);
        }
    }

    public static void UnauthorizedAfterRenewal(ILogger logger, HttpRequestMessage request)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            string requestUri = UriRedaction.Redact(request.RequestUri);
            UnauthorizedAfterRenewal(logger, request.Method, requestUri);
        }
    }
}
