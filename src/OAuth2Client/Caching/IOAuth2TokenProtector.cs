namespace OAuth2Client;

/// <summary>
/// Encrypts access tokens before they go into a distributed cache, and decrypts them when they come back. The default
/// is AES-256-GCM with the key of <see cref="DistributedTokenCacheOptions.EncryptionKey"/>; the DI package adapts
/// ASP.NET Core Data Protection. Implementations must be thread-safe and authenticated: data that was changed, or
/// protected with other associated data, must not come back.
/// </summary>
public interface IOAuth2TokenProtector
{
    /// <summary>Encrypts and authenticates <paramref name="plaintext"/>, bound to <paramref name="associatedData"/>.</summary>
    /// <param name="plaintext">The serialized token. The caller clears it after the call.</param>
    /// <param name="associatedData">Data the ciphertext is bound to but that is not stored in it (the cache key).</param>
    /// <returns>The protected bytes, as stored in the cache.</returns>
    byte[] Protect(byte[] plaintext, byte[] associatedData);

    /// <summary>Checks and decrypts what <see cref="Protect"/> produced for the same <paramref name="associatedData"/>.</summary>
    /// <param name="protectedData">The bytes read from the cache.</param>
    /// <param name="associatedData">The same associated data as when protected.</param>
    /// <returns>The plaintext.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The data was changed, was protected with another key, or belongs to another cache key.</exception>
    byte[] Unprotect(byte[] protectedData, byte[] associatedData);
}
