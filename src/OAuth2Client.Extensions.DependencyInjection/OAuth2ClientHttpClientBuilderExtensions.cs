using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using OAuth2Client;
using OAuth2Client.DependencyInjection.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Adds OAuth2 bearer tokens to an <see cref="HttpClient"/> registered with <c>AddHttpClient</c> (named or typed).
/// </summary>
public static class OAuth2ClientHttpClientBuilderExtensions
{
    /// <summary>
    /// Authorizes the client's requests with tokens from the client-credentials grant, with options set by
    /// <paramref name="configure"/> and validated when the host starts. The OAuth2 client takes the
    /// <see cref="HttpClient"/>'s name (for a typed client, the type's name).
    /// </summary>
    /// <param name="builder">The <see cref="IHttpClientBuilder"/> from <c>AddHttpClient</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static IHttpClientBuilder AddOAuth2ClientCredentials(this IHttpClientBuilder builder, Action<OAuth2ClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOAuth2ClientCore(builder.Name).Configure(configure);
        return builder.AddOAuth2ClientCredentialsHandler(builder.Name);
    }

    /// <summary>
    /// Authorizes the client's requests with tokens from the client-credentials grant, with options bound from
    /// <paramref name="configuration"/> and validated when the host starts. Values that change at run time (a reloaded
    /// configuration file, a rotated secret) take effect when the factory next builds the client's handlers.
    /// </summary>
    /// <param name="builder">The <see cref="IHttpClientBuilder"/> from <c>AddHttpClient</c>.</param>
    /// <param name="configuration">A section with the keys of <see cref="OAuth2ClientOptions"/>.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configuration"/> is null.</exception>
    public static IHttpClientBuilder AddOAuth2ClientCredentials(this IHttpClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        builder.Services.AddOAuth2ClientCore(builder.Name).Configure(options => OAuth2ClientOptionsBinder.Bind(builder.Name, configuration, options));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<OAuth2ClientOptions>>(new ConfigurationChangeTokenSource<OAuth2ClientOptions>(builder.Name, configuration));
        if (configuration is IConfigurationSection section)
        {
            builder.Services.AddSingleton(new OAuth2ClientConfigurationPath(builder.Name, section.Path));
        }

        return builder.AddOAuth2ClientCredentialsHandler(builder.Name);
    }

    /// <summary>
    /// Authorizes the client's requests with the tokens of an OAuth2 client registered elsewhere under
    /// <paramref name="oauth2ClientName"/>, sharing its cache: several <see cref="HttpClient"/>s, one token.
    /// </summary>
    /// <param name="builder">The <see cref="IHttpClientBuilder"/> from <c>AddHttpClient</c>.</param>
    /// <param name="oauth2ClientName">The name the OAuth2 client was registered under.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="oauth2ClientName"/> is null, empty or white space.</exception>
    public static IHttpClientBuilder AddOAuth2ClientCredentialsHandler(this IHttpClientBuilder builder, string oauth2ClientName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(oauth2ClientName);

        // Idempotent: a second registration for the same HttpClient must not nest a second handler (two retries).
        if (builder.Services.Any(d => d.ServiceType == typeof(BearerHandlerRegistration) && d.ImplementationInstance is BearerHandlerRegistration r && r.HttpClientName == builder.Name))
        {
            return builder;
        }

        builder.Services.AddSingleton(new BearerHandlerRegistration(builder.Name));
        OAuth2ClientServiceCollectionExtensions.RedactAuthorizationInLogs(builder.Services, builder.Name);
        return builder.AddHttpMessageHandler(services => OAuth2ClientServiceCollectionExtensions.CreateHandler(services, oauth2ClientName));
    }

    /// <summary>
    /// Fleet mode: shares this OAuth2 client's tokens with every instance of the app through the app's registered
    /// <see cref="IDistributedCache"/> (Redis, SQL Server, …), encrypted, with a fleet-wide lease so that the fleet asks
    /// the token endpoint about once per token lifetime. The in-process cache stays the first level. The host fails to
    /// start when no <see cref="IDistributedCache"/> is registered or no encryption is configured: set
    /// <see cref="DistributedTokenCacheOptions.EncryptionKey"/> or <see cref="DistributedTokenCacheOptions.Protector"/>,
    /// or register ASP.NET Core Data Protection (then <see cref="DataProtectionTokenProtector"/> is used).
    /// </summary>
    /// <param name="builder">The <see cref="IHttpClientBuilder"/> returned by <c>AddOAuth2ClientCredentials</c>.</param>
    /// <param name="configure">Sets the options (the encryption key, a lock, timeouts); optional.</param>
    /// <returns><paramref name="builder"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IHttpClientBuilder UseDistributedTokenCache(this IHttpClientBuilder builder, Action<DistributedTokenCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        string name = builder.Name;
        OptionsBuilder<DistributedTokenCacheOptions> options = builder.Services.AddOptions<DistributedTokenCacheOptions>(name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (!builder.Services.Any(d => d.ServiceType == typeof(DistributedTokenCacheRegistration) && d.ImplementationInstance is DistributedTokenCacheRegistration r && r.ClientName == name))
        {
            builder.Services.AddSingleton(new DistributedTokenCacheRegistration(name));
            builder.Services.AddSingleton<IValidateOptions<DistributedTokenCacheOptions>>(new NamedDistributedTokenCacheOptionsValidator(name));
            options.PostConfigure<IServiceProvider>(static (o, services) =>
            {
                o.Cache ??= services.GetService<IDistributedCache>();
                if (o.Protector is null && string.IsNullOrWhiteSpace(o.EncryptionKey) && services.GetService<IDataProtectionProvider>() is { } dataProtection)
                {
                    o.Protector = new DataProtectionTokenProtector(dataProtection);
                }
            }).ValidateOnStart();
        }

        return builder;
    }
}

/// <summary>Marks an <see cref="HttpClient"/> that already has a <see cref="BearerTokenHandler"/>.</summary>
internal sealed record BearerHandlerRegistration(string HttpClientName);
