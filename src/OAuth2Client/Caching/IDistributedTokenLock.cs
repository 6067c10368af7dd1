namespace OAuth2Client;

/// <summary>
/// A lock that instances of a fleet take before one of them asks the token endpoint for a token, so that the others wait
/// for its token instead of asking too. Without one, fleet mode uses a lease entry in the distributed cache itself, which
/// is best effort (two instances can both win under a slow cache); an atomic implementation (the Redis one in
/// <c>OAuth2Client.Caching.StackExchangeRedis</c>) guarantees a single holder.
/// </summary>
public interface IDistributedTokenLock
{
    /// <summary>
    /// Tries once to take the lock <paramref name="key"/> for at most <paramref name="leaseDuration"/>; never waits for it.
    /// </summary>
    /// <param name="key">The lock's name (a hash, without secrets).</param>
    /// <param name="leaseDuration">How long the lock stays taken if its holder never releases it (it crashed).</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns>A handle that releases the lock when disposed (only if still held by this owner), or <see langword="null"/> when another owner holds it.</returns>
    ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan leaseDuration, CancellationToken cancellationToken = default);
}
