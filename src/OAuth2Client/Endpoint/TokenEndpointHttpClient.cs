using System.Net;

namespace OAuth2Client.Endpoint;

/// <summary>The HTTP client a token provider creates for itself when the app gives it none.</summary>
internal static class TokenEndpointHttpClient
{
    /// <summary>
    /// A client that never follows redirects (a redirect would carry the client credentials to another address),
    /// decompresses, recycles connections for DNS changes, and leaves timeouts to the resilience pipeline.
    /// </summary>
    public static HttpClient CreateDefault() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
