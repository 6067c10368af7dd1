using Microsoft.Extensions.Logging;

namespace OAuth2Client.Diagnostics;

/// <summary>
/// Every log message of the core package, with stable event ids. None takes a secret, a token, a Basic header or a
/// query string: endpoints and request URIs are passed through <see cref="Redaction"/> first. Event ids are the
/// constants of <see cref="EventIds"/>, which tests use too.
/// </summary>
internal static partial class Log
{
    /// <summary>The stable event id of every log message; a message's event name is the constant's name.</summary>
    public static class EventIds
    {
        public const int RequestingToken = 1;
        public const int TokenAcquired = 2;
        public const int TokenRequestFailed = 3;
        public const int RetryingTokenRequest = 4;
        public const int RenewingAfterUnauthorized = 5;
        public const int UnauthorizedAfterRenewal = 6;
        public const int TokenFromSharedCache = 7;
        public const int SharedCacheFailed = 8;
        public const int TokenLifetimeClamped = 9;
        public const int RefreshingAhead = 10;
        public const int RenewalFailedTokenStillValid = 11;
        public const int CooldownStarted = 12;
        public const int UnauthorizedNotRenewed = 13;
        public const int DistributedCacheUnavailable = 14;
        public const int DistributedCacheRecovered = 15;
        public const int TokenFromDistributedCache = 16;
        public const int DistributedTokenUnreadable = 17;
        public const int FleetWaitExpired = 18;
        public const int SignInStarted = 20;
        public const int BrowserNotStarted = 21;
        public const int LoopbackRequestIgnored = 22;
        public const int SignedIn = 23;
        public const int SignInFailed = 24;
        public const int RefreshingToken = 25;
        public const int RefreshTokenRotated = 26;
        public const int RefreshTokenRejected = 27;
        public const int SignInRequired = 28;
        public const int UnauthorizedBodyNotReplayed = 40;
    }

    [LoggerMessage(EventId = EventIds.RequestingToken, EventName = nameof(EventIds.RequestingToken), Level = LogLevel.Debug,
        Message = "Requesting an access token for client '{ClientName}' (client id {ClientId}) from {TokenEndpoint}")]
    public static partial void RequestingToken(ILogger logger, string clientName, string clientId, string tokenEndpoint);

    [LoggerMessage(EventId = EventIds.TokenAcquired, EventName = nameof(EventIds.TokenAcquired), Level = LogLevel.Information,
        Message = "Access token acquired for client '{ClientName}'; it lives {Lifetime}")]
    public static partial void TokenAcquired(ILogger logger, string clientName, TimeSpan lifetime);

    [LoggerMessage(EventId = EventIds.TokenRequestFailed, EventName = nameof(EventIds.TokenRequestFailed), Level = LogLevel.Error,
        Message = "Access token request for client '{ClientName}' failed: {Reason}")]
    public static partial void TokenRequestFailed(ILogger logger, string clientName, string reason);

    [LoggerMessage(EventId = EventIds.RetryingTokenRequest, EventName = nameof(EventIds.RetryingTokenRequest), Level = LogLevel.Warning,
        Message = "Access token request for client '{ClientName}' failed with {Reason}; attempt {Attempt} in {Delay}")]
    public static partial void RetryingTokenRequest(ILogger logger, string clientName, string reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = EventIds.RenewingAfterUnauthorized, EventName = nameof(EventIds.RenewingAfterUnauthorized), Level = LogLevel.Information, SkipEnabledCheck = true,
        Message = "{Method} {RequestUri} answered 401; renewing the access token and sending the request once more")]
    private static partial void RenewingAfterUnauthorized(ILogger logger, HttpMethod method, string requestUri);

    [LoggerMessage(EventId = EventIds.UnauthorizedAfterRenewal, EventName = nameof(EventIds.UnauthorizedAfterRenewal), Level = LogLevel.Warning, SkipEnabledCheck = true,
        Message = "{Method} {RequestUri} answered 401 again with a freshly renewed access token; returning the response to the caller")]
    private static partial void UnauthorizedAfterRenewal(ILogger logger, HttpMethod method, string requestUri);

    [LoggerMessage(EventId = EventIds.TokenFromSharedCache, EventName = nameof(EventIds.TokenFromSharedCache), Level = LogLevel.Debug,
        Message = "Access token for client '{ClientName}' taken from the shared cache")]
    public static partial void TokenFromSharedCache(ILogger logger, string clientName);

    [LoggerMessage(EventId = EventIds.SharedCacheFailed, EventName = nameof(EventIds.SharedCacheFailed), Level = LogLevel.Warning,
        Message = "The shared cache refused the access token of client '{ClientName}' ({ExceptionType}); the token is used but not shared")]
    public static partial void SharedCacheFailed(ILogger logger, string clientName, string exceptionType);

    [LoggerMessage(EventId = EventIds.UnauthorizedBodyNotReplayed, EventName = nameof(EventIds.UnauthorizedBodyNotReplayed), Level = LogLevel.Warning, SkipEnabledCheck = true,
        Message = "{Method} {RequestUri} answered 401; the access token was renewed, but the request was not sent again because its body was streamed once (larger than MaxRequestBodyBufferSize of {Limit} bytes, or not read to its end); returning the 401 to the caller")]
    private static partial void UnauthorizedBodyNotReplayed(ILogger logger, HttpMethod method, string requestUri, long limit);

    public static void UnauthorizedBodyNotReplayed(ILogger logger, HttpRequestMessage request, long limit)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            UnauthorizedBodyNotReplayed(logger, request.Method, Redaction.RedactUri(request.RequestUri), limit);
        }
    }

    public static void RenewingAfterUnauthorized(ILogger logger, HttpRequestMessage request)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string requestUri = Redaction.RedactUri(request.RequestUri);
            RenewingAfterUnauthorized(logger, request.Method, requestUri);
        }
    }

    public static void UnauthorizedAfterRenewal(ILogger logger, HttpRequestMessage request)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            string requestUri = Redaction.RedactUri(request.RequestUri);
            UnauthorizedAfterRenewal(logger, request.Method, requestUri);
        }
    }
}
