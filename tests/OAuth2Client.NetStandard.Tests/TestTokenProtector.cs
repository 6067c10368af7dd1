using System.Security.Cryptography;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// The netstandard2.0 build has no AES-GCM (it refuses EncryptionKey), so the fleet tests give it this protector
/// instead: AES-256-CBC then HMAC-SHA-256 over nonce, ciphertext and the associated data (the cache key), so that an
/// entry under another key or with a changed byte does not decrypt, as with the built-in one.
/// </summary>
internal sealed class TestTokenProtector(string base64Key) : IOAuth2TokenProtector
{
    private readonly byte[] _key = Convert.FromBase64String(base64Key);

    public byte[] Protect(byte[] plaintext, byte[] associatedData)
    {
        using var aes = Aes.Create();
        aes.Key = _key;
        byte[] iv = RandomNumberGenerator.GetBytes(16);
        byte[] cipher = aes.EncryptCbc(plaintext, iv);
        byte[] body = [.. iv, .. cipher];
        return [.. Mac(body, associatedData), .. body];
    }

    public byte[] Unprotect(byte[] protectedData, byte[] associatedData)
    {
        if (protectedData.Length < 32 + 16 || !CryptographicOperations.FixedTimeEquals(protectedData.AsSpan(0, 32), Mac(protectedData[32..], associatedData)))
        {
            throw new CryptographicException("The protected token does not authenticate.");
        }

        using var aes = Aes.Create();
        aes.Key = _key;
        return aes.DecryptCbc(protectedData.AsSpan(48), protectedData.AsSpan(32, 16));
    }

    private byte[] Mac(byte[] body, byte[] associatedData) => HMACSHA256.HashData(_key, body.Concat(associatedData).ToArray());
}
