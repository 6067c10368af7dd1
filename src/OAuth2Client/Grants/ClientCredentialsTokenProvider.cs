using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OAuth2Client.Caching;
using OAuth2Client.Endpoint;
using OAuth2Client.Grants;
using OAuth2Client.Settings;

namespace OAuth2Client;

/// <summary>
/// Obtains access tokens with the client-credentials grant (RFC 6749 §4.4) and keeps them until shortly before
/// they expire. Thread-safe; any number of concurrent callers on a cold or expiring cache cause one token request.
/// </summary>
/// <remarks>
/// Create one per client and share it (for example as a singleton): the cache lives in the instance.
/// <see cref="BearerTokenHandler"/> uses it to authorize <see cref="HttpClient"/> requests; code that needs the raw
/// token can call <see cref="GetTokenAsync"/> itself. Requests may ask for their own scope, resource or audience
/// (<see cref="WithParameters"/>); each set gets its own token, up to <see cref="OAuth2ClientOptions.MaxTokenParameterSets"/> sets.
/// </remarks>
public sealed class ClientCredentialsTokenProvider : IOAuth2ParameterizedTokenProvider, IDisposable
{
    private readonly TokenSource _source;
    private readonly HttpClient? _ownedHttpClient;
    private readonly string _description;
    private readonly ClientSettings _settings;
    private readonly Func<OAuth2TokenParameters, TokenSource> _createParameterSetSource;
    private readonly ConcurrentDictionary<OAuth2TokenParameters, ParameterSetTokenProvider> _parameterSets = new();
    private readonly object _parameterSetsGate = new();
    private bool _disposed;

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
    /// <param name="distributedCache">
    /// Fleet mode: share tokens with the other instances of the app through a distributed cache (encrypted), so that the
    /// fleet asks the token endpoint about once per token lifetime. <see langword="null"/> keeps tokens in this process.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options (or the distributed cache options) are invalid; the message lists every problem and its fix.</exception>
    public ClientCredentialsTokenProvider(
        OAuth2ClientOptions options,
        HttpClient? httpClient = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        IMemoryCache? sharedCache = null,
        DistributedTokenCacheOptions? distributedCache = null)
    {
        ClientSettings settings = ClientSettings.Create(options ?? throw new ArgumentNullException(nameof(options)), OAuth2ClientOptionsValidator.ClientCredentials);
        if (distributedCache?.Validate() is { Count: > 0 } problems)
        {
            throw new ArgumentException("The distributed token cache options are invalid: " + string.Join(" ", problems), nameof(distributedCache));
        }

        timeProvider ??= TimeProvider.System;
        ILogger logger = (ILogger?)loggerFactory?.CreateLogger<ClientCredentialsTokenProvider>() ?? NullLogger.Instance;
        _settings = settings;
        _ownedHttpClient = httpClient is null ? TokenEndpointHttpClient.CreateDefault(settings.ClientCertificate) : null;
        HttpClient backchannel = httpClient ?? _ownedHttpClient!;
        var endpoint = new TokenEndpointClient(settings, () => backchannel, timeProvider, logger);
        var grant = new ClientCredentialsGrant(settings.SendGrantType);
        string cacheKey = TokenCacheKey.Create(ClientCredentialsGrant.GrantType, settings);
        MemorySharedTokenCache? shared = sharedCache is null ? null : new MemorySharedTokenCache(sharedCache);
        _source = new TokenSource(
            (allowRetries, ct) => endpoint.RequestTokenAsync(grant, allowRetries, ct),
            timeProvider,
            TokenLifecycle.From(settings),
            shared,
            cacheKey,
            settings.Name,
            logger,
            fleet: distributedCache is null ? null : new FleetTokenCache(distributedCache, cacheKey, settings.TokenRequestTimeout, timeProvider, logger, settings.Name, settings.Telemetry),
            telemetry: settings.Telemetry);
        _createParameterSetSource = parameters =>
        {
            string setKey = TokenCacheKey.Create(ClientCredentialsGrant.GrantType, settings, parameters);
            return new TokenSource(
                (allowRetries, ct) => endpoint.RequestTokenAsync(grant, parameters, allowRetries, ct),
                timeProvider,
                TokenLifecycle.From(settings),
                shared,
                setKey,
                settings.Name,
                logger,
                fleet: distributedCache is null ? null : new FleetTokenCache(distributedCache, setKey, settings.TokenRequestTimeout, timeProvider, logger, settings.Name, settings.Telemetry),
                telemetry: settings.Telemetry);
        };
        _description = $"ClientCredentialsTokenProvider {{ ClientId = {settings.ClientId}, TokenEndpoint = {settings.RedactedTokenEndpoint}, Profile = {settings.ProfileName} }}";
    }

    /// <inheritdoc />
    public ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken = default)
        => _source.GetTokenAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejectedToken, CancellationToken cancellationToken = default)
        => _source.RenewTokenAsync(rejectedToken, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Sets are kept until the provider is disposed. When <see cref="OAuth2ClientOptions.MaxTokenParameterSets"/> sets
    /// exist, a new set is refused (nothing is evicted, so a set in use never loses its token or its single flight).
    /// </remarks>
    public IOAuth2TokenProvider WithParameters(OAuth2TokenParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.IsEmpty)
        {
            return this;
        }

        return _parameterSets.TryGetValue(parameters, out ParameterSetTokenProvider? existing) ? existing : AddParameterSet(parameters);
    }

    /// <summary>Cancels token requests in flight and releases the HTTP client the provider created, if any.</summary>
    public void Dispose()
    {
        lock (_parameterSetsGate)
        {
            _disposed = true;
        }

        _source.Dispose();
        foreach (ParameterSetTokenProvider set in _parameterSets.Values)
        {
            set.Source.Dispose();
        }

        _ownedHttpClient?.Dispose();
        _settings.SigningKey?.Dispose();
    }

    /// <summary>Describes the provider without secrets.</summary>
    /// <returns>The client id, token endpoint and profile.</returns>
    public override string ToString() => _description;

    internal TokenSource Source => _source;

    internal int ParameterSetCount => _parameterSets.Count;

    private ParameterSetTokenProvider AddParameterSet(OAuth2TokenParameters parameters)
    {
        lock (_parameterSetsGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_parameterSets.TryGetValue(parameters, out ParameterSetTokenProvider? existing))
            {
                return existing;
            }

            if (_parameterSets.Count >= _settings.MaxTokenParameterSets)
            {
                throw new OAuth2TokenException(_settings.MaxTokenParameterSets == 0
                    ? $"OAuth2 client '{_settings.ClientId}' does not take per-request token parameters (MaxTokenParameterSets is 0); the request asked for {Describe(parameters)}."
                    : $"OAuth2 client '{_settings.ClientId}' already keeps tokens for {_settings.MaxTokenParameterSets} sets of per-request token parameters (MaxTokenParameterSets), so the request for {Describe(parameters)} was refused: raise MaxTokenParameterSets, or use fewer distinct scopes, resources and audiences.");
            }

            var created = new ParameterSetTokenProvider(_createParameterSetSource(parameters), parameters, _description);
            _parameterSets[parameters] = created;
            return created;
        }
    }

    private static string Describe(OAuth2TokenParameters parameters)
        => $"scope '{parameters.Scope ?? "(default)"}', resource '{parameters.Resource ?? "(none)"}', audience '{parameters.Audience ?? "(none)"}'";

    /// <summary>The tokens of one set of per-request parameters: its own source (cache, single flight, renewal).</summary>
    private sealed class ParameterSetTokenProvider(TokenSource source, OAuth2TokenParameters parameters, string owner) : IOAuth2TokenProvider
    {
        public TokenSource Source => source;

        public ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken = default) => source.GetTokenAsync(cancellationToken);

        public ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejectedToken, CancellationToken cancellationToken = default)
            => source.RenewTokenAsync(rejectedToken, cancellationToken);

        public override string ToString() => $"{owner} with {Describe(parameters)}";
    }
}
