using System.Diagnostics.Metrics;
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

        if (!services.Any(d => d.ServiceType == typeof(OAuth2ClientName) && d.ImplementationInstance is OAuth2ClientName n && n.Name == name))
        {
            services.AddSingleton(new OAuth2ClientName(name));

            // The registration name labels the client's logs, metrics, traces and health checks; the container's meter
            // factory (AddHttpClient registers one, as do the generic host and ASP.NET Core) owns its meter.
            services.AddOptions<OAuth2ClientOptions>(name).PostConfigure<IServiceProvider>((options, sp) =>
            {
                options.Name ??= name;
                options.MeterFactory ??= sp.GetService<IMeterFactory>();
            });
            services.AddSingleton<IValidateOptions<OAuth2ClientOptions>>(sp => new NamedOAuth2ClientOptionsValidator(
                name,
                sp.GetServices<OAuth2ClientConfigurationPath>().LastOrDefault(p => p.ClientName == name)?.Path));
        }

        string tokenEndpointClient = OAuth2HttpClientNames.ForTokenEndpoint(name);
        services.AddHttpClient(tokenEndpointClient)
            .ConfigurePrimaryHttpMessageHandler(static (handler, _) => DisableRedirects(handler))

            // The factory's request logging writes the whole URL at Information on Microsoft.Extensions.Http 8.0 (the
            // token endpoint's query may name a tenant or policy) and header values at Trace. The token client logs
            // each token request itself, redacted (event ids 1-4).
            .ConfigurePrimaryHttpMessageHandler((handler, sp) => AddClientCertificate(handler, sp.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get(name).ClientCertificate))
            .RemoveAllLoggers()

            // One layer of retries, ending in OAuth2TokenException: resilience handlers an app adds to every client
            // (ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()), the .NET Aspire default) would wrap the
            // token client's own retries and turn a failing token endpoint into minutes of attempts and a Polly exception.
            .ConfigureAdditionalHttpMessageHandlers(static (handlers, _) => RemoveRetryHandlers(handlers));
        RedactAuthorizationInLogs(services, tokenEndpointClient); // for a logger the app adds back
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

    /// <summary>Type names of the retrying handlers of Microsoft.Extensions.Http.Resilience (Polly 8) and Microsoft.Extensions.Http.Polly (Polly 7).</summary>
    private static readonly string[] RetryHandlerTypes =
    [
        "Microsoft.Extensions.Http.Resilience.ResilienceHandler",
        "Microsoft.Extensions.Http.PolicyHttpMessageHandler",
    ];

    internal static void RemoveRetryHandlers(IList<DelegatingHandler> handlers)
    {
        for (int i = handlers.Count - 1; i >= 0; i--)
        {
            if (IsRetryHandler(handlers[i].GetType()))
            {
                handlers.RemoveAt(i);
            }
        }
    }

    private static bool IsRetryHandler(Type? type)
    {
        for (; type is not null && type != typeof(DelegatingHandler); type = type.BaseType)
        {
            if (Array.IndexOf(RetryHandlerTypes, type.FullName) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A redirect from the token endpoint would carry the client credentials to another address: never follow one.</summary>
    private static void DisableRedirects(HttpMessageHandler handler)
    {
        switch (handler)
        {
#if NETSTANDARD2_0
            case not null when SocketsHttpHandlerAccess.Is(handler):
                SocketsHttpHandlerAccess.DisableRedirects(handler);
                break;
#else
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
#endif
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
#if NETSTANDARD2_0 // HttpClientHandler presents only manually chosen certificates there.
            case not null when SocketsHttpHandlerAccess.Is(handler):
                SocketsHttpHandlerAccess.AddClientCertificate(handler, certificate);
                break;
            case HttpClientHandler client:
                client.ClientCertificateOptions = ClientCertificateOption.Manual;
                client.ClientCertificates.Add(certificate);
#else
            case SocketsHttpHandler sockets:
                sockets.SslOptions.ClientCertificates ??= [];
                sockets.SslOptions.ClientCertificates.Add(certificate);
                break;
            case HttpClientHandler client:
                client.ClientCertificates.Add(certificate);
#endif
                break;
            default:
                throw new InvalidOperationException($"ClientCertificate is set, but the token endpoint's primary handler is a {handler.GetType().Name}, which this package cannot give a certificate: add it to that handler yourself and leave ClientCertificate unset.");
        }
    }

    /// <summary>Creates the handler for one request pipeline; the provider (and its cache) is shared by all of them.</summary>
    internal static BearerTokenHandler CreateHandler(IServiceProvider services, string clientName)
        => services.GetRequiredService<OAuth2ClientRegistry>().CreateHandler(clientName);
}
