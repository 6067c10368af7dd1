using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OAuth2Client.Internal;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// One token provider per OAuth2 client name for the container's lifetime, so every <see cref="HttpClient"/> the factory
/// builds (and rebuilds every handler lifetime) shares one cache and one single flight. When the options of a client
/// change (configuration reload), the next handler the factory builds gets a provider made from the new options.
/// </summary>
internal sealed class OAuth2ClientRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ClientCredentialsTokenProvider>> _providers = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<ClientCredentialsTokenProvider> _created = [];
    private readonly IOptionsMonitor<OAuth2ClientOptions> _options;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMemoryCache _cache;
    private readonly IDisposable? _reloadSubscription;

    public OAuth2ClientRegistry(
        IOptionsMonitor<OAuth2ClientOptions> options,
        IHttpClientFactory httpClientFactory,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IMemoryCache cache)
    {
        _options = options;
        _httpClientFactory = httpClientFactory;
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
        ClientSettings settings;
        try
        {
            settings = ClientSettings.Create(_options.Get(clientName));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"OAuth2 client '{clientName}' is not configured correctly: {ex.Message}", ex);
        }

        string backchannel = OAuth2HttpClientNames.ForTokenEndpoint(clientName);
        var provider = new ClientCredentialsTokenProvider(
            settings,
            () => _httpClientFactory.CreateClient(backchannel),
            _timeProvider,
            _loggerFactory,
            _cache);
        _created.Add(provider);
        return provider;
    }

    public void Dispose()
    {
        _reloadSubscription?.Dispose();
        foreach (ClientCredentialsTokenProvider provider in _created)
        {
            provider.Dispose();
        }
    }
}
