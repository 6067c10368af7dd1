using System.Collections.Concurrent;

namespace OAuth2Client;

/// <summary>
/// The default <see cref="IRefreshTokenStore"/>: refresh tokens live in memory only, so the user signs in again after
/// the process restarts. Thread-safe. Implement <see cref="IRefreshTokenStore"/> to persist them (protected at rest).
/// </summary>
public sealed class InMemoryRefreshTokenStore : IRefreshTokenStore
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        return new ValueTask<string?>(_tokens.TryGetValue(key, out string? token) ? token : null);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask SetAsync(string key, string? refreshToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (refreshToken is null)
        {
            _tokens.TryRemove(key, out _);
        }
        else
        {
            _tokens[key] = refreshToken;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Describes the store without its contents.</summary>
    /// <returns>The number of refresh tokens held, never their values.</returns>
    public override string ToString() => $"InMemoryRefreshTokenStore {{ Count = {_tokens.Count} }}";
}
