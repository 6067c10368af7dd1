using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace OAuth2Client.Endpoint;

/// <summary>The HTTP client a token provider creates for itself when the app gives it none.</summary>
internal static class TokenEndpointHttpClient
{
    /// <summary>
    /// A client that never follows redirects (a redirect would carry the client credentials to another address),
    /// decompresses, recycles connections for DNS changes, and leaves timeouts to the resilience pipeline. With
    /// <paramref name="clientCertificate"/>, it presents that certificate when the server asks for one (RFC 8705).
    /// </summary>
    public static HttpClient CreateDefault(X509Certificate2? clientCertificate = null) => new(CreateHandler(clientCertificate))
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

#if NETSTANDARD2_0
    /// <summary>
    /// netstandard2.0 has no <c>SocketsHttpHandler</c>: an <see cref="HttpClientHandler"/> with the same choices
    /// (connection recycling is the platform's: on .NET Framework, <c>ServicePointManager</c>).
    /// </summary>
    public static HttpClientHandler CreateHandler(X509Certificate2? clientCertificate, bool forTokenEndpoint = true)
    {
        var handler = new HttpClientHandler();
        if (forTokenEndpoint)
        {
            handler.AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate;
            handler.AllowAutoRedirect = false;
        }

        if (clientCertificate is not null)
        {
            handler.ClientCertificateOptions = ClientCertificateOption.Manual;
            handler.ClientCertificates.Add(clientCertificate);
        }

        return handler;
    }
#else
    /// <summary>A socket handler that presents <paramref name="clientCertificate"/> (if any) when a server asks for one.</summary>
    public static SocketsHttpHandler CreateHandler(X509Certificate2? clientCertificate, bool forTokenEndpoint = true)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (forTokenEndpoint)
        {
            handler.AutomaticDecompression = DecompressionMethods.All;
            handler.AllowAutoRedirect = false;
        }

        if (clientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [clientCertificate];
        }

        return handler;
    }
#endif
}
