using System.Security.Cryptography;

namespace OAuth2Client.Caching;

/// <summary>
/// The default <see cref="IOAuth2TokenProtector"/>: AES-256-GCM, a random 96-bit nonce per value, a 128-bit tag, the
/// cache key as associated data (an entry copied under another key does not decrypt). Stored as nonce ‖ tag ‖ ciphertext.
/// The only use of <see cref="AesGcm"/> in the library (netstandard2.0 will need another implementation here).
/// </summary>
internal sealed class AesGcmTokenProtector : IOAuth2TokenProtector
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public AesGcmTokenProtector(string base64Key)
    {
        _key = Convert.FromBase64String(base64Key.Trim());
        if (_key.Length != KeySize)
        {
            throw new ArgumentException("The encryption key must be 32 bytes in base64.", nameof(base64Key));
        }
    }

    public static bool IsValidKey(string base64Key)
    {
        Span<byte> buffer = stackalloc byte[64];
        return Convert.TryFromBase64String(base64Key.Trim(), buffer, out int written) && written == KeySize;
    }

    public byte[] Protect(byte[] plaintext, byte[] associatedData)
    {
        byte[] output = new byte[NonceSize + TagSize + plaintext.Length];
        Span<byte> nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), associatedData);
        return output;
    }

    public byte[] Unprotect(byte[] protectedData, byte[] associatedData)
    {
        if (protectedData.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The protected token is too short.");
        }

        byte[] plaintext = new byte[protectedData.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(
            protectedData.AsSpan(0, NonceSize),
            protectedData.AsSpan(NonceSize + TagSize),
            protectedData.AsSpan(NonceSize, TagSize),
            plaintext,
            associatedData);
        return plaintext;
    }

    public override string ToString() => "AesGcmTokenProtector { key redacted }";
}
