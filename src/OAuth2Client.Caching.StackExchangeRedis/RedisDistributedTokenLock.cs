using StackExchange.Redis;

namespace OAuth2Client;

/// <summary>
/// An atomic fleet lock on Redis for <see cref="DistributedTokenCacheOptions.Lock"/>: <c>SET key owner NX PX lease</c>
/// takes it (exactly one instance succeeds), and a script deletes it only if it still holds the caller's owner id, so a
/// holder whose lease expired never releases someone else's. Holder crashes: the lease expires after its duration.
/// </summary>
/// <remarks>Share the app's <see cref="IConnectionMultiplexer"/> (the one its Redis cache uses is fine); the lock does not dispose it.</remarks>
public sealed class RedisDistributedTokenLock : IDistributedTokenLock
{
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    private readonly IConnectionMultiplexer _connection;
    private readonly int _database;

    /// <summary>Creates a lock over <paramref name="connection"/>.</summary>
    /// <param name="connection">The app's Redis connection.</param>
    /// <param name="database">The Redis database number; -1 for the connection's default.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    public RedisDistributedTokenLock(IConnectionMultiplexer connection, int database = -1)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _database = database;
    }

    /// <inheritdoc />
    public async ValueTask<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan leaseDuration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        cancellationToken.ThrowIfCancellationRequested();
        IDatabase db = _connection.GetDatabase(_database);
        string owner = Guid.NewGuid().ToString("N");
        bool taken = await db.StringSetAsync(key, owner, leaseDuration, When.NotExists).ConfigureAwait(false);
        return taken ? new Lease(db, key, owner) : null;
    }

    /// <summary>Describes the lock.</summary>
    /// <returns>The lock's type and database.</returns>
    public override string ToString() => $"RedisDistributedTokenLock {{ Database = {_database} }}";

    private sealed class Lease(IDatabase db, string key, string owner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
            => await db.ScriptEvaluateAsync(ReleaseScript, [new RedisKey(key)], [new RedisValue(owner)]).ConfigureAwait(false);
    }
}
