using System.Net;

namespace OAuth2Client.Endpoint;

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
}
