using System.Net;
using OAuth2Client.Diagnostics;

namespace OAuth2Client.Endpoint;

/// <summary>
/// Builds the typed exceptions of one token request. Every message names the endpoint (redacted) and the status, and
/// quotes server text only through <see cref="Redaction.Quote"/> with the request's credentials, so nothing the
/// server echoes back (a secret, a code, a refresh token) reaches a message, a property or a log.
/// </summary>
internal sealed class TokenEndpointErrors(Uri tokenEndpoint, string redactedTokenEndpoint, IReadOnlyList<string> credentials)
{
    /// <summary>Server text made safe: credentials removed, control characters escaped, then shortened.</summary>
    public string Quote(string text) => Redaction.Quote(text, credentials);

    /// <summary>
    /// The endpoint answered, but not with a usable token: <paramref name="problem"/> says what was wrong, and must
    /// quote server text only through <see cref="Quote"/>.
    /// </summary>
    public OAuth2TokenException Invalid(HttpStatusCode status, string problem, Exception? inner = null)
    {
        bool success = (int)status is >= 200 and < 300;
        string message = success
            ? $"The token endpoint {redactedTokenEndpoint} answered {Describe(status)} but {problem}."
            : $"The token endpoint {redactedTokenEndpoint} answered {Describe(status)} {problem}.";
        return new OAuth2TokenException(message, Redaction.SafeUri(tokenEndpoint), status, innerException: inner);
    }

    /// <summary>The endpoint refused the request with an OAuth2 error code (RFC 6749 §5.2).</summary>
    public OAuth2TokenException Refused(HttpStatusCode status, string error, string? description, string? errorUri)
    {
        error = Quote(error);
        description = description is null ? null : Quote(description);
        errorUri = errorUri is null ? null : Quote(errorUri);
        string message = $"The token endpoint {redactedTokenEndpoint} refused the token request: {Describe(status)}, error '{error}'"
            + (string.IsNullOrWhiteSpace(description) ? "." : $": {description}");
        return new OAuth2TokenException(message, Redaction.SafeUri(tokenEndpoint), status, error, description, errorUri);
    }

    /// <summary>No answer: the endpoint could not be reached or did not answer in time.</summary>
    public OAuth2TokenException Unanswered(string what, Exception inner)
        => new($"The token endpoint {redactedTokenEndpoint} {what}.", Redaction.SafeUri(tokenEndpoint), statusCode: null, innerException: inner);

    private static string Describe(HttpStatusCode status) => $"HTTP {(int)status} ({status})";
}
