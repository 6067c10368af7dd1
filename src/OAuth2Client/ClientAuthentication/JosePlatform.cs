using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OAuth2Client.ClientAuthentication;

/// <summary>
/// The encoding, hashing, signing-format and key-import primitives client assertions need, in one place: several of
/// them (PEM import, one-shot <c>SHA256</c>/<c>HMACSHA256.HashData</c>, <c>DSASignatureFormat</c>,
/// <c>RandomNumberGenerator.GetBytes</c>, <c>CryptographicOperations</c>, span-based Base64) exist only on .NET 5+; the
/// netstandard2.0 build gets most from src/Polyfills, signs ES256 in P1363 (its only format) and refuses PEM import with
/// a <see cref="PlatformNotSupportedException"/>. The JWK import (<c>ECParameters</c>, <c>RSAParameters</c>) and the
/// certificate's <c>GetECDsaPrivateKey</c> exist there and are tested against it.
/// </summary>
internal static class JosePlatform
{
    /// <summary>Base64url without padding (RFC 7515 §2).</summary>
    public static string Base64UrlEncode(ReadOnlySpan<byte> bytes)
        => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Decodes base64url (padding optional).</summary>
    /// <exception cref="FormatException">Not base64url.</exception>
    public static byte[] Base64UrlDecode(string text)
    {
        string base64 = text.Replace('-', '+').Replace('_', '/');
        base64 += (base64.Length % 4) switch
        {
            0 => string.Empty,
            2 => "==",
            3 => "=",
            _ => throw new FormatException("Not base64url: wrong length."),
        };
        return Convert.FromBase64String(base64);
    }

    public static byte[] Sha256(ReadOnlySpan<byte> data) => SHA256.HashData(data);

    public static byte[] HmacSha256(byte[] key, byte[] data) => HMACSHA256.HashData(key, data);

    /// <summary>ES256: ECDSA over SHA-256 in the fixed-size <c>r||s</c> form JWS requires (IEEE P1363), not DER.</summary>
    public static byte[] SignEs256(ECDsa key, byte[] data)
#if NETSTANDARD2_0
        => key.SignData(data, HashAlgorithmName.SHA256); // P1363 is the only format there.
#else
        => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
#endif

    public static void Clear(byte[] secret) => CryptographicOperations.ZeroMemory(secret);

    public static byte[] RandomBytes(int count) => RandomNumberGenerator.GetBytes(count);

    /// <summary>The certificate's SHA-256 thumbprint (its DER bytes hashed): the value of <c>x5t#S256</c>.</summary>
    public static byte[] CertificateSha256(X509Certificate2 certificate) => SHA256.HashData(certificate.RawData);

    /// <summary>
    /// Imports the first private key in PEM text: <c>RSA PRIVATE KEY</c>, <c>EC PRIVATE KEY</c> or PKCS#8
    /// <c>PRIVATE KEY</c> (RSA or EC). Encrypted PEM is not supported.
    /// </summary>
    /// <exception cref="CryptographicException">No supported private key in the text.</exception>
    /// <exception cref="PlatformNotSupportedException">The netstandard2.0 build (no PEM or PKCS#8 import there).</exception>
    public static AsymmetricAlgorithm ImportPrivateKeyPem(string pem)
    {
#if NETSTANDARD2_0
        _ = pem;
        throw new PlatformNotSupportedException("PEM private keys cannot be imported by the netstandard2.0 build of OAuth2Client (.NET Framework): use SigningCertificate (an X509Certificate2 with its private key), SigningKeyJwk or an IClientAssertionProvider (ClientAssertionProvider) instead, or run on .NET 8+.");
    }
#else
        if (pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new CryptographicException("the PEM holds an encrypted private key; decrypt it (or use SigningCertificate or an IClientAssertionProvider)");
        }

        if (pem.Contains("BEGIN EC PRIVATE KEY", StringComparison.Ordinal))
        {
            return Import(ECDsa.Create(), pem);
        }

        if (pem.Contains("BEGIN RSA PRIVATE KEY", StringComparison.Ordinal))
        {
            return Import(RSA.Create(), pem);
        }

        if (!pem.Contains("BEGIN PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new CryptographicException("no private key found (expected '-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----' or '-----BEGIN EC PRIVATE KEY-----')");
        }

        // PKCS#8 names no algorithm in its label: try RSA, then EC.
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
        }

        return Import(ECDsa.Create(), pem);
    }

#endif

#if !NETSTANDARD2_0
    private static AsymmetricAlgorithm Import(AsymmetricAlgorithm key, string pem)
    {
        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }
#endif
}
