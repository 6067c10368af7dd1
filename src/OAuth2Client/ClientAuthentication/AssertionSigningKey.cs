using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace OAuth2Client.ClientAuthentication;

/// <summary>
/// The key that signs client assertions, with its JWS algorithm and <c>kid</c>: RSA (RS256 = PKCS#1 v1.5, PS256 =
/// PSS) or ECDSA P-256 (ES256, IEEE P1363 <c>r||s</c> as JWS requires) from a certificate, PEM or JWK; or the client
/// secret for HS256 (<c>client_secret_jwt</c>). Loaded once per client and disposed with it. Errors never quote key material.
/// </summary>
internal sealed class AssertionSigningKey : IDisposable
{
    public const string RS256 = "RS256";
    public const string PS256 = "PS256";
    public const string ES256 = "ES256";
    public const string HS256 = "HS256";

    /// <summary>The algorithms a private key can sign with (HS256 is for the client secret only).</summary>
    public static readonly string[] AsymmetricAlgorithms = [RS256, PS256, ES256];

    private const int MinRsaKeyBits = 2048;
    private const int MinHmacKeyBytes = 32;

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;
    private readonly byte[]? _hmacKey;
    private readonly object _gate = new();

    private AssertionSigningKey(string algorithm, string? keyId, string? certificateThumbprint, RSA? rsa, ECDsa? ecdsa, byte[]? hmacKey)
    {
        PublicKeyThumbprint = rsa is not null ? JwkThumbprint(rsa) : ecdsa is not null ? JwkThumbprint(ecdsa) : null;
        Algorithm = algorithm;
        KeyId = keyId;
        CertificateThumbprint = certificateThumbprint;
        _rsa = rsa;
        _ecdsa = ecdsa;
        _hmacKey = hmacKey;
    }

    public string Algorithm { get; }

    public string? KeyId { get; }

    /// <summary>The <c>x5t#S256</c> header value, when asked for.</summary>
    public string? CertificateThumbprint { get; }

    /// <summary>The RFC 7638 thumbprint of the public key (not secret): part of the token cache key, as a secret's fingerprint is.</summary>
    public string? PublicKeyThumbprint { get; }

    public void Dispose()
    {
        lock (_gate)
        {
            _rsa?.Dispose();
            _ecdsa?.Dispose();
            if (_hmacKey is not null)
            {
                JosePlatform.Clear(_hmacKey);
            }
        }
    }

    /// <summary>Signs <paramref name="data"/>. Serialized: the sources of several parameter sets share one key object, and
    /// the platform does not promise that one key signs on several threads at once (token requests are rare).</summary>
    public byte[] Sign(byte[] data)
    {
        lock (_gate)
        {
            return Algorithm switch
            {
                RS256 => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                PS256 => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
                ES256 => JosePlatform.SignEs256(_ecdsa!, data),
                _ => JosePlatform.HmacSha256(_hmacKey!, data),
            };
        }
    }

    /// <summary>The key of <c>client_secret_jwt</c>: the secret's UTF-8 bytes, at least 256 bits (RFC 7518 §3.2).</summary>
    /// <exception cref="CryptographicException">The secret is too short.</exception>
    public static AssertionSigningKey ForSecret(string secret)
    {
        byte[] key = Encoding.UTF8.GetBytes(secret);
        if (key.Length < MinHmacKeyBytes)
        {
            throw new CryptographicException($"HS256 needs a client secret of at least {MinHmacKeyBytes} bytes (RFC 7518 §3.2); this one has {key.Length}");
        }

        return new AssertionSigningKey(HS256, null, null, null, null, key);
    }

    /// <summary>The certificate's private key; <c>kid</c> defaults to the certificate's base64url SHA-256 thumbprint.</summary>
    /// <exception cref="CryptographicException">No usable private key, or it does not fit <paramref name="algorithm"/>.</exception>
    public static AssertionSigningKey FromCertificate(X509Certificate2 certificate, string? algorithm, string? keyId, bool sendThumbprint)
    {
        if (!certificate.HasPrivateKey)
        {
            throw new CryptographicException($"the certificate '{certificate.Subject}' has no private key");
        }

        string thumbprint = JosePlatform.Base64UrlEncode(JosePlatform.CertificateSha256(certificate));
        AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetRSAPrivateKey()
            ?? certificate.GetECDsaPrivateKey()
            ?? throw new CryptographicException($"the certificate '{certificate.Subject}' has neither an RSA nor an ECDSA private key");
        return Create(key, algorithm, keyId ?? thumbprint, sendThumbprint ? thumbprint : null);
    }

    /// <summary>A PEM private key; <c>kid</c> defaults to its RFC 7638 JWK thumbprint.</summary>
    /// <exception cref="CryptographicException">No usable private key, or it does not fit <paramref name="algorithm"/>.</exception>
    public static AssertionSigningKey FromPem(string pem, string? algorithm, string? keyId)
    {
        AsymmetricAlgorithm key = JosePlatform.ImportPrivateKeyPem(pem);
        return Create(key, algorithm, keyId ?? JwkThumbprint(key), null);
    }

    /// <summary>A private JWK (RFC 7517: <c>kty</c> RSA or EC P-256); <c>kid</c> and <c>alg</c> default to the JWK's own, then to its thumbprint and the key type's default.</summary>
    /// <exception cref="CryptographicException">Not a usable private JWK.</exception>
    public static AssertionSigningKey FromJwk(string json, string? algorithm, string? keyId)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            // The parser's message may quote the text: say only where it failed.
            throw new CryptographicException("the JWK is not valid JSON");
        }

        using (document)
        {
            JsonElement jwk = document.RootElement;
            if (jwk.ValueKind != JsonValueKind.Object)
            {
                throw new CryptographicException("the JWK is not a JSON object");
            }

            AsymmetricAlgorithm key = Member(jwk, "kty") switch
            {
                "RSA" => ImportRsaJwk(jwk),
                "EC" => ImportEcJwk(jwk),
                { } other => throw new CryptographicException($"the JWK's kty '{other}' is not supported (use RSA or EC)"),
                null => throw new CryptographicException("the JWK has no kty"),
            };
            return Create(key, algorithm ?? Member(jwk, "alg"), keyId ?? Member(jwk, "kid") ?? JwkThumbprint(key), null);
        }
    }

    private static AssertionSigningKey Create(AsymmetricAlgorithm key, string? algorithm, string keyId, string? certificateThumbprint)
    {
        try
        {
            switch (key)
            {
                case RSA rsa:
                    algorithm ??= RS256;
                    if (algorithm is not (RS256 or PS256))
                    {
                        throw new CryptographicException($"an RSA key signs RS256 or PS256, not {algorithm}");
                    }

                    if (rsa.KeySize < MinRsaKeyBits)
                    {
                        throw new CryptographicException($"the RSA key has {rsa.KeySize} bits; RS256 and PS256 need at least {MinRsaKeyBits} (RFC 7518 §3.3)");
                    }

                    return new AssertionSigningKey(algorithm, keyId, certificateThumbprint, rsa, null, null);
                case ECDsa ecdsa:
                    algorithm ??= ES256;
                    if (algorithm != ES256)
                    {
                        throw new CryptographicException($"an ECDSA key signs ES256, not {algorithm}");
                    }

                    if (ecdsa.KeySize != 256)
                    {
                        throw new CryptographicException($"ES256 needs a P-256 key; this ECDSA key has {ecdsa.KeySize} bits");
                    }

                    return new AssertionSigningKey(algorithm, keyId, certificateThumbprint, null, ecdsa, null);
                default:
                    throw new CryptographicException($"a {key.GetType().Name} key is not supported (use RSA or ECDSA P-256)");
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>RFC 7638: SHA-256 over the required public members in lexicographic order, without white space.</summary>
    private static string JwkThumbprint(AsymmetricAlgorithm key)
    {
        string canonical = key switch
        {
            RSA rsa when rsa.ExportParameters(false) is var p
                => $"{{\"e\":\"{JosePlatform.Base64UrlEncode(p.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{JosePlatform.Base64UrlEncode(p.Modulus)}\"}}",
            ECDsa ecdsa when ecdsa.ExportParameters(false) is var p
                => $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{JosePlatform.Base64UrlEncode(p.Q.X)}\",\"y\":\"{JosePlatform.Base64UrlEncode(p.Q.Y)}\"}}",
            _ => string.Empty,
        };
        return JosePlatform.Base64UrlEncode(JosePlatform.Sha256(Encoding.UTF8.GetBytes(canonical)));
    }

    private static RSA ImportRsaJwk(JsonElement jwk)
    {
        var parameters = new RSAParameters
        {
            Modulus = Required(jwk, "n"),
            Exponent = Required(jwk, "e"),
            D = Required(jwk, "d"),
            P = Required(jwk, "p"),
            Q = Required(jwk, "q"),
            DP = Required(jwk, "dp"),
            DQ = Required(jwk, "dq"),
            InverseQ = Required(jwk, "qi"),
        };
        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(parameters);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw new CryptographicException("the RSA JWK's parameters do not form a valid key");
        }
    }

    private static ECDsa ImportEcJwk(JsonElement jwk)
    {
        if (Member(jwk, "crv") != "P-256")
        {
            throw new CryptographicException($"the EC JWK's crv '{Member(jwk, "crv")}' is not supported (ES256 needs P-256)");
        }

        try
        {
            return ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Required(jwk, "x"), Y = Required(jwk, "y") },
                D = Required(jwk, "d"),
            });
        }
        catch (CryptographicException ex) when (!ex.Message.StartsWith("the JWK", StringComparison.Ordinal))
        {
            throw new CryptographicException("the EC JWK's parameters do not form a valid key");
        }
    }

    private static string? Member(JsonElement jwk, string name)
        => jwk.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static byte[] Required(JsonElement jwk, string name)
    {
        if (Member(jwk, name) is not { } text)
        {
            throw new CryptographicException($"the JWK has no '{name}' (a private key needs it)");
        }

        try
        {
            return JosePlatform.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            throw new CryptographicException($"the JWK's '{name}' is not base64url");
        }
    }
}
