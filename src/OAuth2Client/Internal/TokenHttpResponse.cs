using System.Net;

namespace OAuth2Client.Internal;

/// <summary>What the token endpoint answered, read and disposed inside one attempt so retries and timeouts cover the body too.</summary>
internal sealed record TokenHttpResponse(
    HttpStatusCode StatusCode,
    string? MediaType,
    TimeSpan? RetryAfter,
    byte[] Body,
    bool BodyTooLarge)
{
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    public bool IsTransientFailure => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;
}

/// <summary>A parsed, validated token response.</summary>
internal sealed record TokenResponse(AccessToken AccessToken, string? RefreshToken, DateTimeOffset IssuedAt);
