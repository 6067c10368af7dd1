using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// Keys and certificates made in the test run (never checked in): a test CA, a loopback server certificate, client
/// certificates, and self-signed signing certificates, all with ephemeral keys.
/// </summary>
public static class TestCertificates
{
    public static RSA NewRsa() => RSA.Create(2048);

    public static ECDsa NewEcdsa() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>A self-signed certificate over <paramref name="key"/>, as a client registers for private_key_jwt.</summary>
    public static X509Certificate2 SelfSigned(AsymmetricAlgorithm key, string subject = "CN=test-client")
    {
        CertificateRequest request = key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ecdsa => new CertificateRequest(subject, ecdsa, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("RSA or ECDsa", nameof(key)),
        };
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return Reload(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1)));
    }

    /// <summary>A test CA.</summary>
    public static X509Certificate2 CreateAuthority()
    {
        using RSA key = NewRsa();
        var request = new CertificateRequest("CN=OAuth2Client Test CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return Reload(request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(2)));
    }

    /// <summary>A certificate issued by <paramref name="authority"/>: a TLS server certificate for 127.0.0.1/localhost, or a client certificate.</summary>
    public static X509Certificate2 Issue(X509Certificate2 authority, string subject, bool server)
    {
        using RSA key = NewRsa();
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        byte[] serial = RandomNumberGenerator.GetBytes(12);
        using X509Certificate2 issued = request.Create(authority, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        return Reload(issued.CopyWithPrivateKey(key));
    }

    /// <summary>A validation callback that trusts only certificates chaining to <paramref name="authority"/>.</summary>
    public static Func<HttpRequestMessage, X509Certificate2?, X509Chain?, System.Net.Security.SslPolicyErrors, bool> Trust(X509Certificate2 authority)
        => (_, certificate, _, _) =>
        {
            if (certificate is null)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(authority);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(certificate);
        };

    public static string Sha256Hex(X509Certificate2 certificate) => Convert.ToHexString(SHA256.HashData(certificate.RawData));

    /// <summary>Through PKCS#12 and back, so TLS can use the key on every platform.</summary>
    private static X509Certificate2 Reload(X509Certificate2 certificate)
    {
        using (certificate)
        {
            return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        }
    }
}
