using OAuth2Client.Http;

namespace OAuth2Client;

/// <summary>Per-request token parameters on an <see cref="HttpRequestMessage"/>, read by <see cref="BearerTokenHandler"/>.</summary>
/// <example>
/// <code>
/// using var request = new HttpRequestMessage(HttpMethod.Get, "reports");
/// request.SetOAuth2Scope("reports.read");
/// using HttpResponseMessage response = await http.SendAsync(request);
/// </code>
/// </example>
public static class OAuth2HttpRequestMessageExtensions
{
    /// <summary>
    /// Makes <paramref name="request"/> carry a token obtained with <paramref name="parameters"/> instead of the client's
    /// configured scope, resource or audience. The token provider must support per-request parameters
    /// (<see cref="ClientCredentialsTokenProvider"/> does); otherwise sending fails rather than use another token.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="parameters">The parameters; an empty set means the client's default token.</param>
    /// <returns><paramref name="request"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="parameters"/> is null.</exception>
    public static HttpRequestMessage SetOAuth2TokenParameters(this HttpRequestMessage request, OAuth2TokenParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parameters);
        TokenParametersOption.Set(request, parameters);
        return request;
    }

    /// <summary>Makes <paramref name="request"/> carry a token for <paramref name="scope"/> (see <see cref="SetOAuth2TokenParameters"/>).</summary>
    /// <param name="request">The request.</param>
    /// <param name="scope">The scope to request, for example <c>reports.read</c>.</param>
    /// <returns><paramref name="request"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="scope"/> is null, empty or white space.</exception>
    public static HttpRequestMessage SetOAuth2Scope(this HttpRequestMessage request, string scope)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        return request.SetOAuth2TokenParameters(new OAuth2TokenParameters { Scope = scope.Trim() });
    }

    /// <summary>Gets the per-request token parameters of <paramref name="request"/>, if any were set.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The parameters, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public static OAuth2TokenParameters? GetOAuth2TokenParameters(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return TokenParametersOption.Get(request);
    }
}
