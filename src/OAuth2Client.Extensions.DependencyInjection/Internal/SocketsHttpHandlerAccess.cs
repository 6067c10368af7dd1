#if NETSTANDARD2_0
using System.Reflection;
using System.Security.Cryptography.X509Certificates;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// The netstandard2.0 build also runs on .NET Core 3.1 to 7, where IHttpClientFactory's primary handler can be a
/// <c>SocketsHttpHandler</c>, a type netstandard2.0 cannot name: its redirect and client-certificate settings are set
/// by reflection there, so that the token endpoint's client never follows a redirect and presents the certificate.
/// </summary>
internal static class SocketsHttpHandlerAccess
{
    public static bool Is(HttpMessageHandler handler) => handler.GetType().FullName == "System.Net.Http.SocketsHttpHandler";

    public static void DisableRedirects(HttpMessageHandler handler)
        => Property(handler.GetType(), "AllowAutoRedirect").SetValue(handler, false);

    public static void AddClientCertificate(HttpMessageHandler handler, X509Certificate2 certificate)
    {
        object sslOptions = Property(handler.GetType(), "SslOptions").GetValue(handler)!;
        PropertyInfo certificates = Property(sslOptions.GetType(), "ClientCertificates");
        if (certificates.GetValue(sslOptions) is not X509CertificateCollection collection)
        {
            collection = new X509CertificateCollection();
            certificates.SetValue(sslOptions, collection);
        }

        collection.Add(certificate);
    }

    private static PropertyInfo Property(Type type, string name)
        => type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{type.FullName}.{name} not found: configure the token endpoint's primary handler yourself.");
}
#endif
