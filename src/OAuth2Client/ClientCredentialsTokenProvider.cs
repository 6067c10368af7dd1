using System.Net;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OAuth2Client.Internal;

namespace OAuth2Client;

/// <summary>
/// Obtains access tokens with the client-credentials grant (RFC 6749 §4.4) and keeps them until shortly before
/// they expire. Thread-safe; any number of concurrent callers on a cold or expiring cache cause one token request.
/// </summary>
/// <remarks>
/// Create one per client and share it (for example as a singleton): the cache lives in the instance.
/// <see cref="BearerTokenHandler"/> uses it to authorize <see cref="HttpClient"/> requests; code that needs the raw
/// token can call <see cref="GetTokenAsync"/> itself.
/// </remarks>
public sealed class ClientCredentialsTokenProvider : IAccessTokenProvider, IDisposable
{
    private static readonly KeyValuePair<string, string>[] GrantFields = [new("grant_type", "client_credentials")];

    private readonly TokenSource _source;
    private readonly HttpClient? _ownedHttpClient;
    private readonly string _description;

    /// <summary>
    /// Creates a provider for the given options.
    /// </summary>
    /// <param name="options">The client's options; they are validated and copied.</param>
    /// <param name="httpClient">
    /// The client used to call the token endpoint (it must not carry this provider's own handler). When
    /// <see langword="null"/>, the provider creates one and disposes it with itself.
    /// </param>
    /// <param name="timeProvider">The clock for expiry; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where to log; nothing is logged when <see langword="null"/>.</param>
    /// <param name="sharedCache">An optional cache shared with other providers; tokens are stored under a key made of everything that changes the token.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem and its fix.</exception>
    public ClientCredentialsTokenProvider(
        OAuth2ClientOptions options,
        HttpClient? httpClient = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMemoryCache? sharedCache = null)
        : this(ClientSettings.Create(options ?? throw new ArgumentNullException(nameof(options))), httpClient is null ? null : () => httpClient, timeProvider, loggerFactory, sharedCache)
    {
    }

    /// <summary>Creates a provider whose token endpoint client comes from <paramref name="httpClientSource"/> on every request (the DI package passes <c>IHttpClientFactory</c>).</summary>
    internal ClientCredentialsTokenProvider(
        ClientSettings settings,
        Func<HttpClient>? httpClientSource,
        TimeProvider? timeProvider,
        ILoggerFactory? loggerFactory,
        IMemoryCache? sharedCache)
    {
        timeProvider ??= TimeProvider.System;
        ILogger logger = (ILogger?)loggerFactory?.CreateLogger<ClientCredentialsTokenProvider>() ?? NullLogger.Instance;
        if (httpClientSource is null)
        {
            HttpClient owned = CreateDefaultHttpClient();
            _ownedHttpClient = owned;
            httpClientSource = () => owned;
        }

        var endpoint = new TokenEndpointClient(settings, httpClientSource, timeProvider, logger);
        _source = new TokenSource(
            ct => endpoint.RequestTokenAsync(GrantFields, ct),
            timeProvider,
            settings.RefreshBeforeExpiry,
            sharedCache,
            "client_credentials|" + settings.CacheKey,
            settings.ClientId,
            logger);
        _description = $"ClientCredentialsTokenProvider {{ ClientId = {settings.ClientId}, TokenEndpoint = {settings.RedactedTokenEndpoint}, Profile = {settings.ProfileName} }}";
    }

    /// <inheritdoc />
    public ValueTask<AccessToken> GetTokenAsync(CancellationToken cancellationToken = default)
        => _source.GetTokenAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<AccessToken> RenewTokenAsync(AccessToken? rejectedToken, CancellationToken cancellationToken = default)
        => _source.RenewTokenAsync(rejectedToken, cancellationToken);

    /// <summary>Cancels a token request in flight and releases the HTTP client the provider created, if any.</summary>
    public void Dispose()
    {
        _source.Dispose();
        _ownedHttpClient?.Dispose();
    }

    /// <summary>Describes the provider without secrets.</summary>
    /// <returns>The client id, token endpoint and profile.</returns>
    public override string ToString() => _description;

    internal TokenSource Source => _source;

    internal static HttpClient CreateDefaultHttpClient() => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false, // a redirect would carry the client credentials to another address
    })
    {
        // The resilience pipeline enforces the per-attempt timeout.
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
