using System.Security.Cryptography;

namespace OAuth2Client.Caching;

/// <summary>
/// The default <see cref="IOAuth2TokenProtector"/>: AES-256-GCM, a random 96-bit nonce per value, a 128-bit tag, the
/// cache key as associated data (an entry copied under another key does not decrypt). Stored as nonce ‖ tag ‖ ciphertext.
/// The only use of <c>AesGcm</c> in the library; the netstandard2.0 build has none and refuses with a <see cref="PlatformNotSupportedException"/>.
/// </summary>
internal sealed class AesGcmTokenProtector : IOAuth2TokenProtector
{
    private const int KeySize = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
#if !NETSTANDARD2_0
    private readonly byte[] _key;
#endif

#if NETSTANDARD2_0
    /// <summary>Why the netstandard2.0 build has no default protector (also the validation message).</summary>
    internal const string NotSupportedMessage = "AES-GCM is not available to the netstandard2.0 build of OAuth2Client (.NET Framework): set Protector to an IOAuth2TokenProtector instead of EncryptionKey (for example DataProtectionTokenProtector, over ASP.NET Core Data Protection, in the dependency injection package), or run on .NET 8+.";

    /// <summary>Whether this build can encrypt with AES-GCM itself.</summary>
    internal static bool IsSupported => false;
#else
    /// <summary>Whether this build can encrypt with AES-GCM itself.</summary>
    internal static bool IsSupported => true;
#endif

    public AesGcmTokenProtector(string base64Key)
    {
#if NETSTANDARD2_0
        throw new PlatformNotSupportedException(NotSupportedMessage);
#else
        _key = Convert.FromBase64String(base64Key.Trim());
        if (_key.Length != KeySize)
        {
            throw new ArgumentException("The encryption key must be 32 bytes in base64.", nameof(base64Key));
        }
#endif
    }

    public static bool IsValidKey(string base64Key)
    {
#if NETSTANDARD2_0
        try
        {
            return Convert.FromBase64String(base64Key.Trim()).Length == KeySize;
        }
        catch (FormatException)
        {
            return false;
        }
#else
        Span<byte> buffer = stackalloc byte[64];
        return Convert.TryFromBase64String(base64Key.Trim(), buffer, out int written) && written == KeySize;
#endif
    }

#if NETSTANDARD2_0
    public byte[] Protect(byte[] plaintext, byte[] associatedData) => throw new PlatformNotSupportedException(NotSupportedMessage);

    public byte[] Unprotect(byte[] protectedData, byte[] associatedData) => throw new PlatformNotSupportedException(NotSupportedMessage);
#else
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
#endif

    public override string ToString() => "AesGcmTokenProtector { key redacted }";
}
