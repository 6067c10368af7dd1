namespace OAuth2Client;

/// <summary>
/// Keeps the refresh token of a signed-in user so that <see cref="AuthorizationCodeTokenProvider"/> can renew access
/// tokens without another browser sign-in, across restarts when the store persists it.
/// </summary>
/// <remarks>
/// <para>
/// A refresh token is a credential: whoever holds it can act as the user until it expires or is revoked. A persistent
/// store must protect it at rest, for example with DPAPI (<c>ProtectedData</c>) on Windows, the Keychain on macOS, the
/// Secret Service (libsecret) on Linux, or at least a file only the user can read (mode 0600), and must never log it.
/// </para>
/// <para>
/// The provider calls <see cref="SetAsync"/> with a new value when the server issues or rotates a refresh token, and with
/// <see langword="null"/> when the server rejects it. Implementations must be thread-safe.
/// </para>
/// </remarks>
public interface IRefreshTokenStore
{
    /// <summary>Returns the refresh token stored under <paramref name="key"/>, or <see langword="null"/> when there is none.</summary>
    /// <param name="key">Identifies the client (token endpoint, client id, scope); the same for every call of one provider.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The refresh token, or <see langword="null"/>.</returns>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="refreshToken"/> under <paramref name="key"/>, replacing any previous one; <see langword="null"/> removes it.</summary>
    /// <param name="key">Identifies the client (token endpoint, client id, scope).</param>
    /// <param name="refreshToken">The refresh token to keep, or <see langword="null"/> to forget the stored one.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    ValueTask SetAsync(string key, string? refreshToken, CancellationToken cancellationToken = default);
}
