using System.Text;
using Microsoft.Extensions.Caching.Distributed;

namespace OAuth2Client.Caching;

/// <summary>
/// The default fleet lock, over the distributed cache itself: a lease entry holding a random owner id with a time to
/// live. <see cref="IDistributedCache"/> has no set-if-absent, so a writer reads the lease back after a settle delay and
/// holds it only if its own id is still there: writers that raced settle on the last write. Best effort: a write that
/// lands later than the settle delay makes a second holder (two token requests, never a wrong token).
/// </summary>
internal sealed class DistributedCacheTokenLock(IDistributedCache cache, TimeProvider timeProvider) : IDistributedTokenLock
{
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        if (await cache.GetAsync(key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return null;
        }

        byte[] owner = Encoding.ASCII.GetBytes(Guid.NewGuid().ToString("N"));
        await cache.SetAsync(key, owner, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = leaseDuration }, cancellationToken).ConfigureAwait(false);
        await Task.Delay(DistributedTokenCacheDefaults.LeaseSettleDelay, timeProvider, cancellationToken).ConfigureAwait(false);
        byte[]? holder = await cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        return holder is not null && holder.AsSpan().SequenceEqual(owner) ? new Lease(cache, key, owner) : null;
    }

    /// <summary>Removes the lease if it still holds this owner's id (not atomic: a lease that expired and was taken meanwhile may be removed too).</summary>
    private sealed class Lease(IDistributedCache cache, string key, byte[] owner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            byte[]? holder = await cache.GetAsync(key).ConfigureAwait(false);
            if (holder is not null && holder.AsSpan().SequenceEqual(owner))
            {
                await cache.RemoveAsync(key).ConfigureAwait(false);
            }
        }
    }
}
