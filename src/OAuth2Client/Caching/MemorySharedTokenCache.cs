using Microsoft.Extensions.Caching.Memory;

namespace OAuth2Client.Caching;

/// <summary>The app's <see cref="IMemoryCache"/> as a shared token cache. Entries have size 1, so size-limited caches accept them.</summary>
internal sealed class MemorySharedTokenCache(IMemoryCache cache) : ISharedTokenCache
{
    public ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken)
        => new(cache.TryGetValue(key, out CachedToken? entry) ? entry : null);

    public ValueTask SetAsync(string key, CachedToken entry, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        // Relative to now: the cache compares expiry with its own clock, which need not be the client's (a fake or
        // offset TimeProvider); an absolute instant from the client's clock would be meaningless to it.
        using ICacheEntry cacheEntry = cache.CreateEntry(key);
        cacheEntry.Value = entry;
        cacheEntry.AbsoluteExpirationRelativeToNow = timeToLive;
        cacheEntry.Size = 1;
        return default;
    }

    public ValueTask RemoveAsync(string key, OAuth2Token rejected, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(key, out CachedToken? entry) && ReferenceEquals(entry?.Token, rejected))
        {
            cache.Remove(key);
        }

        return default;
    }
}
