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
    /// <summary>The Location of a redirect answer, if any.</summary>
    public Uri? Location { get; init; }

    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;

    /// <summary>The body may hold tokens: never print it.</summary>
    public override string ToString() => $"TokenHttpResponse {{ StatusCode = {(int)StatusCode}, MediaType = {MediaType}, Body = {Body.Length} bytes }}";

    public bool IsTransientFailure => StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;
}

/// <summary>A parsed, validated token response. <see cref="ToString"/> never shows the refresh token.</summary>
internal sealed record TokenResponse(AccessToken AccessToken, string? RefreshToken, DateTimeOffset IssuedAt)
{
    public override string ToString() => $"TokenResponse {{ {AccessToken}, RefreshToken = {(RefreshToken is null ? "(none)" : "(redacted)")} }}";
}
