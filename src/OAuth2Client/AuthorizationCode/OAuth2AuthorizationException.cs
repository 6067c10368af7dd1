namespace OAuth2Client;

/// <summary>
/// A browser sign-in (authorization-code grant) did not produce a code: the user denied access
/// (<see cref="OAuth2TokenException.Error"/> is <c>access_denied</c>), the authorization server answered with another
/// error (RFC 6749 §4.1.2.1), the redirect's <c>state</c> did not match the request's, or no redirect arrived in time.
/// </summary>
/// <remarks>The message says what happened and what to do, and never contains the code, the state or the verifier.</remarks>
public sealed class OAuth2AuthorizationException : OAuth2TokenException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public OAuth2AuthorizationException()
        : base("The sign-in did not complete.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What went wrong. Must not contain secrets.</param>
    public OAuth2AuthorizationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What went wrong. Must not contain secrets.</param>
    /// <param name="innerException">The cause.</param>
    public OAuth2AuthorizationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for an error the authorization server sent back in the redirect.</summary>
    internal OAuth2AuthorizationException(string message, string error, string? errorDescription, string? errorUri)
        : base(message, tokenEndpoint: null, statusCode: null, error, errorDescription, errorUri)
    {
    }
}
