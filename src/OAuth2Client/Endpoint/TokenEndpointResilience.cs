using System.Net;
using Microsoft.Extensions.Logging;
using OAuth2Client.Diagnostics;
using OAuth2Client.Settings;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OAuth2Client.Endpoint;

/// <summary>
/// The token endpoint's resilience: a per-attempt timeout and, for retriable grants, retries with exponential backoff
/// and jitter that honour <c>Retry-After</c>. <see cref="IsTransient(Exception)"/> and
/// <see cref="IsTransient(HttpStatusCode)"/> are the one decision of what is worth trying again.
/// </summary>
internal static class TokenEndpointResilience
{
    /// <summary>Statuses that say "not now" rather than "no": worth another attempt.</summary>
    public static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.RequestTimeout or (HttpStatusCode)429 /* TooManyRequests, not named on netstandard2.0 */
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;

    /// <summary>Failures to get any answer: the endpoint could not be reached, the connection broke, or time ran out.</summary>
    public static bool IsTransient(Exception exception) => exception
        is HttpRequestException or IOException or TimeoutRejectedException
        or TaskCanceledException { InnerException: TimeoutException };

    /// <summary>Whether the failure was a timeout (of an attempt, or of the HTTP client).</summary>
    public static bool IsTimeout(Exception exception) => exception is TimeoutRejectedException or TaskCanceledException;

    /// <summary>The pipeline for a client: retries only when <paramref name="allowRetries"/> and the settings allow them.</summary>
    public static ResiliencePipeline<TokenHttpResponse> Build(ClientSettings settings, TimeProvider timeProvider, ILogger logger, bool allowRetries)
    {
        var builder = new ResiliencePipelineBuilder<TokenHttpResponse> { TimeProvider = timeProvider };
        if (allowRetries && settings.MaxTokenRequestRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<TokenHttpResponse>
            {
                MaxRetryAttempts = settings.MaxTokenRequestRetries,
                Delay = settings.TokenRequestRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: { } exception } => IsTransient(exception),
                    { Result: { } result } => IsTransient(result.StatusCode),
                    _ => false,
                }),
                DelayGenerator = static args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Result?.RetryAfter is { } retryAfter
                        ? retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter > OAuth2Defaults.MaxRetryAfter ? OAuth2Defaults.MaxRetryAfter : retryAfter
                        : null),
                OnRetry = args =>
                {
                    string reason = args.Outcome.Result is { } result
                        ? $"HTTP {(int)result.StatusCode}"
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    Log.RetryingTokenRequest(logger, settings.Name, reason, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddTimeout(settings.TokenRequestTimeout);
        return builder.Build();
    }
}
