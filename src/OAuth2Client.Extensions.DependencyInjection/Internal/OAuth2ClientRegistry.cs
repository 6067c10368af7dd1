using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// One token provider per OAuth2 client name, so every <see cref="HttpClient"/> the factory builds (and rebuilds every
/// handler lifetime) shares one cache and one single flight.
/// <list type="bullet">
/// <item>A configuration reload that leaves a client's options as they were keeps its provider (and its token).</item>
/// <item>When they did change, the next handler the factory builds gets a provider made from the new options; the old
/// provider is retired and disposed once no handler that uses it is alive (the factory drops expired handlers the same
/// way), checked when handlers are built, on reloads and every <see cref="SweepInterval"/> while any is retired.</item>
/// <item>A provider that could not be created (invalid options) is not remembered: the next request tries again.</item>
/// </list>
/// </summary>
internal sealed class OAuth2ClientRegistry : IDisposable
{
    /// <summary>How often retired providers are checked while any is waiting for its handlers to go.</summary>
    internal static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly List<Bundle> _retired = [];
    private readonly object _gate = new();
    private readonly IOptionsFactory<OAuth2ClientOptions> _optionsFactory;
    private readonly IHttpMessageHandlerFactory _handlerFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMemoryCache _cache;
    private readonly IDisposable? _reloadSubscription;
    private ITimer? _sweeper;
    private int _createdProviders;
    private bool _disposed;
    private readonly IOptionsMonitor<DistributedTokenCacheOptions> _fleetOptions;
    private readonly HashSet<string> _fleetClients;

    public OAuth2ClientRegistry(
        IOptionsMonitor<OAuth2ClientOptions> options,
        IOptionsFactory<OAuth2ClientOptions> optionsFactory,
        IHttpMessageHandlerFactory handlerFactory,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IMemoryCache cache,
        IOptionsMonitor<DistributedTokenCacheOptions> fleetOptions,
        IEnumerable<DistributedTokenCacheRegistration> fleetClients)
    {
        _optionsFactory = optionsFactory;
        _fleetOptions = fleetOptions;
        _fleetClients = new HashSet<string>(fleetClients.Select(r => r.ClientName), StringComparer.Ordinal);
        _handlerFactory = handlerFactory;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _cache = cache;
        _reloadSubscription = options.OnChange((changed, name) => OptionsChanged(name ?? Options.DefaultName, changed));
    }

    /// <summary>Providers created and not yet disposed (current and retired), for tests.</summary>
    internal int LiveProviderCount
    {
        get
        {
            lock (_gate)
            {
                return _retired.Count + _slots.Values.Count(s => s.Bundle.IsValueCreated);
            }
        }
    }

    /// <summary>Providers created since the container was built, for tests.</summary>
    internal int CreatedProviderCount => Volatile.Read(ref _createdProviders);

    /// <summary>The current provider of <paramref name="clientName"/>; lock-free once created.</summary>
    public ClientCredentialsTokenProvider GetProvider(string clientName) => GetBundle(clientName).Provider;

    /// <summary>Creates a handler over the current provider and remembers it, so a retired provider lives as long as its handlers.</summary>
    public BearerTokenHandler CreateHandler(string clientName)
    {
        Bundle bundle = GetBundle(clientName);
        var handler = new BearerTokenHandler(bundle.Provider, _loggerFactory.CreateLogger<BearerTokenHandler>())
        {
            MaxRequestBodyBufferSize = bundle.MaxRequestBodyBufferSize,
        };
        bundle.Track(handler);
        Sweep();
        return handler;
    }

    /// <summary>Disposes the retired providers no live handler uses; for the timer and for tests.</summary>
    internal void Sweep()
    {
        List<Bundle>? unused = null;
        lock (_gate)
        {
            for (int i = _retired.Count - 1; i >= 0; i--)
            {
                if (!_retired[i].InUse)
                {
                    (unused ??= []).Add(_retired[i]);
                    _retired.RemoveAt(i);
                }
            }

            if (_retired.Count == 0)
            {
                _sweeper?.Dispose();
                _sweeper = null;
            }
        }

        unused?.ForEach(b => b.Dispose());
    }

    public void Dispose()
    {
        _reloadSubscription?.Dispose();
        List<Bundle> all;
        lock (_gate)
        {
            _disposed = true;
            _sweeper?.Dispose();
            _sweeper = null;
            all = [.. _retired, .. _slots.Values.Where(s => s.Bundle.IsValueCreated).Select(s => s.Bundle.Value)];
            _retired.Clear();
            _slots.Clear();
        }

        all.ForEach(b => b.Dispose());
    }

    private Bundle GetBundle(string clientName)
    {
        Slot slot = _slots.TryGetValue(clientName, out Slot? existing)
            ? existing
            // The factory, not the monitor: the monitor would remember a failed validation until the next change.
            : _slots.GetOrAdd(clientName, name => NewSlot(name, _optionsFactory.Create(name)));
        if (slot.Bundle.IsValueCreated)
        {
            return slot.Bundle.Value;
        }

        try
        {
            return slot.Bundle.Value;
        }
        catch
        {
            // Not remembered: the next call builds the options again (a fixed configuration, a new secret) and retries.
            _slots.TryRemove(new KeyValuePair<string, Slot>(clientName, slot));
            throw;
        }
    }

    private Slot NewSlot(string clientName, OAuth2ClientOptions options)
    {
        var snapshot = OptionsSnapshot.Of(options);
        return new Slot(snapshot, new Lazy<Bundle>(() => Create(clientName, options), LazyThreadSafetyMode.ExecutionAndPublication));
    }

    private void OptionsChanged(string clientName, OAuth2ClientOptions options)
    {
        lock (_gate)
        {
            if (_disposed || !_slots.TryGetValue(clientName, out Slot? current) || current.Options.Equals(OptionsSnapshot.Of(options)))
            {
                return; // never used yet, or nothing that matters changed: keep the provider and its token
            }

            _slots[clientName] = NewSlot(clientName, options);
            if (current.Bundle.IsValueCreated)
            {
                _retired.Add(current.Bundle.Value);
                _sweeper ??= _timeProvider.CreateTimer(static state => ((OAuth2ClientRegistry)state!).Sweep(), this, SweepInterval, SweepInterval);
            }
        }

        Sweep();
    }

    private Bundle Create(string clientName, OAuth2ClientOptions options)
    {
        string backchannel = OAuth2HttpClientNames.ForTokenEndpoint(clientName);
        var httpClient = new HttpClient(new FactoryBackchannelHandler(_handlerFactory, backchannel))
        {
            // The provider's resilience pipeline enforces the per-attempt timeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        try
        {
            DistributedTokenCacheOptions? fleet = _fleetClients.Contains(clientName) ? _fleetOptions.Get(clientName) : null;
            var provider = new ClientCredentialsTokenProvider(options, httpClient, _timeProvider, _loggerFactory, _cache, fleet);
            Interlocked.Increment(ref _createdProviders);
            return new Bundle(provider, httpClient, options.MaxRequestBodyBufferSize);
        }
        catch (ArgumentException ex)
        {
            httpClient.Dispose();
            throw new InvalidOperationException($"OAuth2 client '{clientName}' is not configured correctly: {ex.Message}", ex);
        }
    }

    private sealed record Slot(OptionsSnapshot Options, Lazy<Bundle> Bundle);

    /// <summary>A provider, its token endpoint client, and the handlers built over it (weakly: the factory owns them).</summary>
    private sealed class Bundle(ClientCredentialsTokenProvider provider, HttpClient httpClient, long maxRequestBodyBufferSize) : IDisposable
    {
        private readonly List<WeakReference<BearerTokenHandler>> _handlers = [];

        public ClientCredentialsTokenProvider Provider => provider;

        public long MaxRequestBodyBufferSize => maxRequestBodyBufferSize;

        public bool InUse
        {
            get
            {
                lock (_handlers)
                {
                    _handlers.RemoveAll(static h => !h.TryGetTarget(out _));
                    return _handlers.Count > 0;
                }
            }
        }

        public void Track(BearerTokenHandler handler)
        {
            lock (_handlers)
            {
                _handlers.RemoveAll(static h => !h.TryGetTarget(out _));
                _handlers.Add(new WeakReference<BearerTokenHandler>(handler));
            }
        }

        public void Dispose()
        {
            provider.Dispose();
            httpClient.Dispose();
        }
    }
}
