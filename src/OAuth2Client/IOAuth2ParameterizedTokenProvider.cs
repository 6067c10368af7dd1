namespace OAuth2Client;

/// <summary>
/// A token provider that can also obtain tokens with per-request parameters (<see cref="OAuth2TokenParameters"/>):
/// <see cref="BearerTokenHandler"/> uses it for requests marked with
/// <see cref="OAuth2HttpRequestMessageExtensions.SetOAuth2TokenParameters"/>.
/// </summary>
public interface IOAuth2ParameterizedTokenProvider : IOAuth2TokenProvider
{
    /// <summary>
    /// Returns the provider of tokens for <paramref name="parameters"/>: one per distinct set, with its own cache,
    /// single flight and renewal; this provider itself for an empty set.
    /// </summary>
    /// <param name="parameters">The token parameters.</param>
    /// <returns>A provider of tokens for that set (the same instance for equal sets).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> is null.</exception>
    /// <exception cref="OAuth2TokenException">The client already keeps tokens for as many sets as it may (<see cref="OAuth2ClientOptions.MaxTokenParameterSets"/>).</exception>
    /// <exception cref="ObjectDisposedException">The provider has been disposed.</exception>
    IOAuth2TokenProvider WithParameters(OAuth2TokenParameters parameters);
}
