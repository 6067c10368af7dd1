namespace OAuth2Client.Caching;

/// <summary>
/// A second-level cache that token sources of the same client settings share (today the app's <c>IMemoryCache</c>).
/// Best effort: a cache that fails costs sharing, never a token. Asynchronous, so a distributed cache fits the same seam.
/// </summary>
internal interface ISharedTokenCache
{
    /// <summary>The token stored under <paramref name="key"/>, or <see langword="null"/>.</summary>
    ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="entry"/> for <paramref name="timeToLive"/> (measured by the cache's own clock).</summary>
    ValueTask SetAsync(string key, CachedToken entry, TimeSpan timeToLive, CancellationToken cancellationToken);

    /// <summary>Removes the entry if it still holds <paramref name="rejected"/>, not a newer token another source stored.</summary>
    ValueTask RemoveAsync(string key, OAuth2Token rejected, CancellationToken cancellationToken);
}
