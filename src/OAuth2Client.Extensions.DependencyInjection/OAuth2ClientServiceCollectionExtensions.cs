using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OAuth2Client;
using OAuth2Client.DependencyInjection.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers OAuth2 clients (client-credentials grant) with <see cref="IServiceCollection"/> and <c>IHttpClientFactory</c>.
/// </summary>
public static class OAuth2ClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds a named <see cref="HttpClient"/> whose requests carry OAuth2 bearer tokens, with options bound from
    /// <paramref name="configuration"/> (for example <c>configuration.GetSection("OAuth2:Ords")</c>) and validated when the
    /// host starts. Also registers the client's <see cref="IOAuth2TokenProvider"/> as a keyed service under <paramref name="name"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The name of the <see cref="HttpClient"/> and of the OAuth2 client.</param>
    /// <param name="configuration">A section with the keys of <see cref="OAuth2ClientOptions"/>, e.g. <c>Profile</c>, <c>ServerAddress</c>, <c>ClientId</c>, <c>ClientSecret</c>.</param>
    /// <returns>The <see cref="IHttpClientBuilder"/> of the named client, to configure it further (for example its <c>BaseAddress</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static IHttpClientBuilder AddOAuth2ClientCredentials(this IServiceCollection services, string name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddHttpClient(name).AddOAuth2ClientCredentials(configuration);
    }

    /// <summary>
    /// Adds a named <see cref="HttpClient"/> whose requests carry OAuth2 bearer tokens, with options set by
    /// <paramref name="configure"/> and validated when the host starts. Also registers the client's
    /// <see cref="IOAuth2TokenProvider"/> as a keyed service under <paramref name="name"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The name of the <see cref="HttpClient"/> and of the OAuth2 client.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The <see cref="IHttpClientBuilder"/> of the named client.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null, empty or white space.</exception>
    public static IHttpClientBuilder AddOAuth2ClientCredentials(this IServiceCollection services, string name, Action<OAuth2ClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        return services.AddHttpClient(name).AddOAuth2ClientCredentials(configure);
    }

    /// <summary>Registers what every OAuth2 client shares, and one client's options, validator, token endpoint client and keyed provider.</summary>
    internal static OptionsBuilder<OAuth2ClientOptions> AddOAuth2ClientCore(this IServiceCollection services, string name)
    {
        services.AddHttpClient();
        services.AddMemoryCache();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OAuth2ClientRegistry>();

        if (!services.Any(d => d.ServiceType == typeof(IValidateOptions<OAuth2ClientOptions>) && d.ImplementationInstance is NamedOAuth2ClientOptionsValidator v && v.ClientName == name))
        {
            services.AddSingleton<IValidateOptions<OAuth2ClientOptions>>(new NamedOAuth2ClientOptionsValidator(name));
        }

        string tokenEndpointClient = OAuth2HttpClientNames.ForTokenEndpoint(name);
        services.AddHttpClient(tokenEndpointClient)
            .ConfigurePrimaryHttpMessageHandler(static (handler, _) => DisableRedirects(handler))
            .ConfigurePrimaryHttpMessageHandler((handler, sp) => AddClientCertificate(handler, sp.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get(name).ClientCertificate));
        RedactAuthorizationInLogs(services, tokenEndpointClient);
        services.TryAddKeyedSingleton<IOAuth2TokenProvider>(name, static (sp, key) => new NamedOAuth2TokenProvider(sp.GetRequiredService<OAuth2ClientRegistry>(), (string)key!));
        return services.AddOptions<OAuth2ClientOptions>(name).ValidateOnStart();
    }

    /// <summary>
    /// Makes the factory's request logging redact <c>Authorization</c> (Basic credentials, bearer tokens) for this client.
    /// .NET 9+ redacts every header value by default; on the 8.0 floor header values are logged at Trace unless redacted.
    /// Composed in PostConfigure so an app's own <c>RedactLoggedHeaders</c> keeps working.
    /// </summary>
    internal static void RedactAuthorizationInLogs(IServiceCollection services, string httpClientName)
        => services.PostConfigure<HttpClientFactoryOptions>(httpClientName, options =>
        {
            Func<string, bool> previous = options.ShouldRedactHeaderValue;
            options.ShouldRedactHeaderValue = header =>
                string.Equals(header, "Authorization", StringComparison.OrdinalIgnoreCase) || previous(header);
        });

    /// <summary>A redirect from the token endpoint would carry the client credentials to another address: never follow one.</summary>
    private static void DisableRedirects(HttpMessageHandler handler)
    {
        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Presents <see cref="OAuth2ClientOptions.ClientCertificate"/> (RFC 8705) on the token endpoint's connections. An app
    /// that configures the primary handler itself (its own certificate selection) leaves the option unset.
    /// </summary>
    private static void AddClientCertificate(HttpMessageHandler handler, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return;
        }

        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.SslOptions.ClientCertificates ??= [];
                sockets.SslOptions.ClientCertificates.Add(certificate);
                break;
            case HttpClientHandler client:
                client.ClientCertificates.Add(certificate);
                break;
            default:
                throw new InvalidOperationException($"ClientCertificate is set, but the token endpoint's primary handler is a {handler.GetType().Name}, which this package cannot give a certificate: add it to that handler yourself and leave ClientCertificate unset.");
        }
    }

    /// <summary>Creates the handler for one request pipeline; the provider (and its cache) is shared by all of them.</summary>
    internal static BearerTokenHandler CreateHandler(IServiceProvider services, string clientName)
        => new(
            services.GetRequiredService<OAuth2ClientRegistry>().GetProvider(clientName),
            services.GetRequiredService<ILoggerFactory>().CreateLogger<BearerTokenHandler>());
}
