namespace OAuth2Client;

/// <summary>
/// Names of the <c>IHttpClientFactory</c> clients this package registers, so an app can configure them.
/// </summary>
public static class OAuth2HttpClientNames
{
    /// <summary>The prefix of every token endpoint client's name.</summary>
    public const string TokenEndpointPrefix = "OAuth2Client.TokenEndpoint.";

    /// <summary>
    /// Gets the name of the <see cref="HttpClient"/> that calls the token endpoint of the OAuth2 client
    /// <paramref name="clientName"/>. Add handlers to it (proxy, certificates, logging) with
    /// <c>services.AddHttpClient(OAuth2HttpClientNames.ForTokenEndpoint("ords"))</c>.
    /// </summary>
    /// <param name="clientName">The OAuth2 client's name (the <see cref="HttpClient"/>'s name it was added to).</param>
    /// <returns><c>OAuth2Client.TokenEndpoint.{clientName}</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="clientName"/> is null, empty or white space.</exception>
    public static string ForTokenEndpoint(string clientName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return TokenEndpointPrefix + clientName;
    }
}
