using System.Net;

namespace OAuth2Client;

/// <summary>
/// A token could not be obtained: the token endpoint refused the request (an OAuth2 error response, RFC 6749 §5.2),
/// answered with something that is not a valid token response, or could not be reached.
/// </summary>
/// <remarks>
/// The message says what was wrong and where, and never contains the client secret, a Basic header or a token.
/// </remarks>
public class OAuth2TokenException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public OAuth2TokenException()
        : base("An OAuth2 access token could not be obtained.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What went wrong. Must not contain secrets.</param>
    public OAuth2TokenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What went wrong. Must not contain secrets.</param>
    /// <param name="innerException">The cause.</param>
    public OAuth2TokenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception that describes a token endpoint's answer.</summary>
    /// <param name="message">What went wrong. Must not contain secrets.</param>
    /// <param name="tokenEndpoint">The token endpoint, without query or user info.</param>
    /// <param name="statusCode">The HTTP status the endpoint answered with, if it answered.</param>
    /// <param name="error">The OAuth2 <c>error</c> code, if the response carried one.</param>
    /// <param name="errorDescription">The OAuth2 <c>error_description</c>, if the response carried one.</param>
    /// <param name="errorUri">The OAuth2 <c>error_uri</c>, if the response carried one.</param>
    /// <param name="innerException">The cause, if any.</param>
    public OAuth2TokenException(
        string message,
        Uri? tokenEndpoint,
        HttpStatusCode? statusCode,
        string? error = null,
        string? errorDescription = null,
        string? errorUri = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        TokenEndpoint = tokenEndpoint;
        StatusCode = statusCode;
        Error = error;
        ErrorDescription = errorDescription;
        ErrorUri = errorUri;
    }

    /// <summary>Gets the token endpoint that was called (scheme, host, port and path only), when known.</summary>
    public Uri? TokenEndpoint { get; }

    /// <summary>Gets the HTTP status code the token endpoint answered with, or <see langword="null"/> when it did not answer.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Gets the OAuth2 error code (for example <c>invalid_client</c>), or <see langword="null"/> when the response had none.</summary>
    public string? Error { get; }

    /// <summary>Gets the OAuth2 <c>error_description</c>, or <see langword="null"/>.</summary>
    public string? ErrorDescription { get; }

    /// <summary>Gets the OAuth2 <c>error_uri</c>, or <see langword="null"/>.</summary>
    public string? ErrorUri { get; }
}
