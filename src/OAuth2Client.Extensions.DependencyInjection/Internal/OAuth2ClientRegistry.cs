using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// One token provider per OAuth2 client name for the container's lifetime, so every <see cref="HttpClient"/> the factory
/// builds (and rebuilds every handler lifetime) shares one cache and one single flight. When the options of a client
/// change (configuration reload), the next handler the factory builds gets a provider made from the new options.
/// </summary>
internal sealed class OAuth2ClientRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ClientCredentialsTokenProvider>> _providers = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<IDisposable> _created = [];
    private readonly IOptionsMonitor<OAuth2ClientOptions> _options;
    private readonly IHttpMessageHandlerFactory _handlerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMemoryCache _cache;
    private readonly IDisposable? _reloadSubscription;
    private readonly IOptionsMonitor<DistributedTokenCacheOptions> _fleetOptions;
    private readonly HashSet<string> _fleetClients;

    public OAuth2ClientRegistry(
        IOptionsMonitor<OAuth2ClientOptions> options,
        IHttpMessageHandlerFactory handlerFactory,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IMemoryCache cache,
        IOptionsMonitor<DistributedTokenCacheOptions> fleetOptions,
        IEnumerable<DistributedTokenCacheRegistration> fleetClients)
    {
        _fleetOptions = fleetOptions;
        _fleetClients = new HashSet<string>(fleetClients.Select(r => r.ClientName), StringComparer.Ordinal);
        _options = options;
        _handlerFactory = handlerFactory;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _cache = cache;
        _reloadSubscription = options.OnChange((_, name) => _providers.TryRemove(name ?? Microsoft.Extensions.Options.Options.DefaultName, out Lazy<ClientCredentialsTokenProvider>? _));
    }

    public ClientCredentialsTokenProvider GetProvider(string clientName)
        => _providers.TryGetValue(clientName, out Lazy<ClientCredentialsTokenProvider>? existing)
            ? existing.Value
            : _providers.GetOrAdd(clientName, name => new Lazy<ClientCredentialsTokenProvider>(() => Create(name))).Value;

    private ClientCredentialsTokenProvider Create(string clientName)
    {
        string backchannel = OAuth2HttpClientNames.ForTokenEndpoint(clientName);
        var httpClient = new HttpClient(new FactoryBackchannelHandler(_handlerFactory, backchannel))
        {
            // The provider's resilience pipeline enforces the per-attempt timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        ClientCredentialsTokenProvider provider;
        try
        {
            DistributedTokenCacheOptions? fleet = _fleetClients.Contains(clientName) ? _fleetOptions.Get(clientName) : null;
            provider = new ClientCredentialsTokenProvider(_options.Get(clientName), httpClient, _timeProvider, _loggerFactory, _cache, fleet);
        }
        catch (ArgumentException ex)
        {
            httpClient.Dispose();
            throw new InvalidOperationException($"OAuth2 client '{clientName}' is not configured correctly: {ex.Message}", ex);
        }

        _created.Add(provider);
        _created.Add(httpClient);
        return provider;
    }

    public void Dispose()
    {
        _reloadSubscription?.Dispose();
        foreach (IDisposable created in _created)
        {
            created.Dispose();
        }
    }
}
