namespace OAuth2Client;

/// <summary>
/// No access token can be obtained without the user: nobody has signed in yet, or the refresh token was rejected
/// (expired, revoked, or rotated elsewhere) and has been removed from the <see cref="IRefreshTokenStore"/>. Call
/// <see cref="AuthorizationCodeTokenProvider.SignInAsync(CancellationToken)"/> (or run the authorization-code flow
/// yourself) and try again.
/// </summary>
/// <remarks>When the server rejected the refresh token, <see cref="OAuth2TokenException.Error"/> is its error code (usually <c>invalid_grant</c>).</remarks>
public sealed class OAuth2SignInRequiredException : OAuth2TokenException
{
    /// <summary>Creates an exception with a generic message.</summary>
    public OAuth2SignInRequiredException()
        : base("The user must sign in before an access token can be obtained.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">What went wrong. Must not contain secrets.</param>
    public OAuth2SignInRequiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">What went wrong. Must not contain secrets.</param>
    /// <param name="innerException">The cause, for example the token endpoint's refusal of the refresh token.</param>
    public OAuth2SignInRequiredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a refresh token the token endpoint refused, keeping the endpoint's answer.</summary>
    internal OAuth2SignInRequiredException(string message, OAuth2TokenException refusal)
        : base(message, refusal.TokenEndpoint, refusal.StatusCode, refusal.Error, refusal.ErrorDescription, refusal.ErrorUri, refusal)
    {
    }
}
