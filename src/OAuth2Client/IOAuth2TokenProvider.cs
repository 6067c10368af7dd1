namespace OAuth2Client;

/// <summary>
/// Supplies access tokens to <see cref="BearerTokenHandler"/>, or directly to code that does not use <see cref="HttpClient"/>.
/// </summary>
/// <remarks>
/// Implementations are thread-safe, return a cached token while it is fresh, and let only one token request
/// run at a time however many callers ask. <see cref="ClientCredentialsTokenProvider"/> is the built-in implementation.
/// </remarks>
public interface IOAuth2TokenProvider
{
    /// <summary>
    /// Returns a token that is valid now: the cached one while it is fresh, otherwise a new one.
    /// </summary>
    /// <param name="cancellationToken">Stops this caller waiting. A token request shared with other callers goes on for them.</param>
    /// <returns>A valid access token.</returns>
    /// <exception cref="OAuth2TokenException">No token could be obtained.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a token other than <paramref name="rejectedToken"/>: when the cached token is still the rejected one it is
    /// discarded and a new one requested; when another caller has already renewed it, that newer token is returned
    /// without a second request. Pass <see langword="null"/> to force a renewal.
    /// </summary>
    /// <remarks>
    /// An implementation may decline to renew a token it has only just issued (the built-in providers do so for tokens
    /// younger than <see cref="OAuth2ClientOptions.MinTokenAgeForRenewal"/>, so an API that rejects every token cannot
    /// turn each request into a token request): it then returns <paramref name="rejectedToken"/> itself, and
    /// <see cref="BearerTokenHandler"/> returns the 401 to its caller without a retry.
    /// </remarks>
    /// <param name="rejectedToken">The token the server refused (for example with HTTP 401), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops this caller waiting. A token request shared with other callers goes on for them.</param>
    /// <returns>A valid access token that is not <paramref name="rejectedToken"/>, or that very instance when renewal was declined.</returns>
    /// <exception cref="OAuth2TokenException">No token could be obtained.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejectedToken, CancellationToken cancellationToken = default);
}
