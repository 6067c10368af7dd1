using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.ClientAuthentication;

/// <summary>
/// private_key_jwt end to end against <see cref="VerifyingTokenServer"/>, which checks the signature with the
/// registered public key, the claims, and refuses any jti it has seen.
/// </summary>
public sealed class PrivateKeyJwtTests
{
    public enum KeySource
    {
        RsaCertificateRs256,
        RsaCertificatePs256,
        EcdsaCertificateEs256,
        RsaPkcs8PemRs256,
        RsaPkcs1PemFilePs256,
        EcdsaSec1PemFileEs256,
        EcdsaPkcs8PemEs256,
        RsaJwkPs256,
        EcdsaJwkEs256,
    }

    [Theory]
    [InlineData(KeySource.RsaCertificateRs256)]
    [InlineData(KeySource.RsaCertificatePs256)]
    [InlineData(KeySource.EcdsaCertificateEs256)]
#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it (PlatformNotSupportedException, NetStandardBuildTests).
    [InlineData(KeySource.RsaPkcs8PemRs256)]
    [InlineData(KeySource.RsaPkcs1PemFilePs256)]
    [InlineData(KeySource.EcdsaSec1PemFileEs256)]
    [InlineData(KeySource.EcdsaPkcs8PemEs256)]
#endif
    [InlineData(KeySource.RsaJwkPs256)]
    [InlineData(KeySource.EcdsaJwkEs256)]
    public async Task GetTokenAsync_SignedAssertion_VerifiedByServerWithoutSecret(KeySource source)
    {
        using var key = SigningSetup.Create(source);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = key.PublicKey, Algorithm = key.Algorithm, KeyId = key.ExpectedKeyId });
        using var provider = new ClientCredentialsTokenProvider(key.Options(server.TokenEndpoint), timeProvider: TestClock.Create());

        OAuth2Token token = await provider.GetTokenAsync();

        VerifyingTokenServer.Received request = Assert.Single(server.Requests);
        Assert.Equal(200, request.Status);
        Assert.Equal("at-1-default", token.Value);
        Assert.Null(request.Authorization);
        Assert.False(request.Form.ContainsKey("client_secret"));
        Assert.Equal(Harness.ClientId, request.Form["client_id"]);
        JsonElement header = VerifyingTokenServer.HeaderOf(request.Form["client_assertion"]);
        Assert.Equal(key.Algorithm, header.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.GetProperty("typ").GetString());
        Assert.Equal(key.ExpectedKeyId, header.GetProperty("kid").GetString());
    }

    [Fact]
    public async Task GetTokenAsync_Claims_IssSubAudJtiIatExpAsSpecified()
    {
        using var key = SigningSetup.Create(KeySource.RsaCertificateRs256);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = key.PublicKey, Algorithm = key.Algorithm });
        var clock = TestClock.Create();
        using var provider = new ClientCredentialsTokenProvider(key.Options(server.TokenEndpoint), timeProvider: clock);

        await provider.GetTokenAsync();

        JsonElement claims = VerifyingTokenServer.ClaimsOf(Assert.Single(server.Requests).Form["client_assertion"]);
        Assert.Equal(Harness.ClientId, claims.GetProperty("iss").GetString());
        Assert.Equal(Harness.ClientId, claims.GetProperty("sub").GetString());
        Assert.Equal(server.TokenEndpoint.AbsoluteUri, claims.GetProperty("aud").GetString());
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        Assert.Equal(60, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.False(claims.TryGetProperty("nbf", out _));
        Assert.True(VerifyingTokenServer.Base64UrlDecode(claims.GetProperty("jti").GetString()!).Length >= 16);
    }

    [Fact]
    public async Task GetTokenAsync_EveryTokenRequest_CarriesFreshAssertionAcceptedByReplayRefusingServer()
    {
        using var key = SigningSetup.Create(KeySource.EcdsaCertificateEs256);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = key.PublicKey, Algorithm = key.Algorithm });
        using var provider = new ClientCredentialsTokenProvider(key.Options(server.TokenEndpoint), timeProvider: TestClock.Create());

        OAuth2Token first = await provider.GetTokenAsync();
        OAuth2Token second = await provider.RenewTokenAsync(null);
        OAuth2Token third = await provider.RenewTokenAsync(null);

        Assert.Equal(3, server.Issued);
        Assert.Equal(3, server.Requests.Select(r => r.Jti).Distinct().Count());
        Assert.Equal(3, new[] { first.Value, second.Value, third.Value }.Distinct().Count());
    }

    [Fact]
    public async Task Server_ReplayedAssertion_IsRefusedWithInvalidClient()
    {
        // The verifier must be able to fail: a captured assertion sent again is refused.
        using var key = SigningSetup.Create(KeySource.RsaCertificateRs256);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = key.PublicKey, Algorithm = key.Algorithm });
        using var provider = new ClientCredentialsTokenProvider(key.Options(server.TokenEndpoint), timeProvider: TestClock.Create());
        await provider.GetTokenAsync();
        IReadOnlyDictionary<string, string> captured = server.Requests[0].Form;

        using var attacker = new HttpClient();
        using HttpResponseMessage replay = await attacker.PostAsync(server.TokenEndpoint, new FormUrlEncodedContent(captured));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("invalid_client", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("jti replayed", server.Requests[1].Error);
    }

    [Fact]
    public async Task GetTokenAsync_KeyNotRegistered_RefusedWithInvalidClient()
    {
        using var key = SigningSetup.Create(KeySource.RsaCertificatePs256);
        using RSA other = TestCertificates.NewRsa();
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = other, Algorithm = key.Algorithm });
        using var provider = new ClientCredentialsTokenProvider(key.Options(server.TokenEndpoint), timeProvider: TestClock.Create());

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", ex.Error);
        Assert.Equal("bad signature", server.Requests[0].Error);
    }

    [Fact]
    public async Task GetTokenAsync_RetriedAfter503_RetryCarriesFreshAssertion()
    {
        using var key = SigningSetup.Create(KeySource.RsaCertificateRs256);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = key.PublicKey, Algorithm = key.Algorithm });
        server.FailNext(1);
        using var provider = new ClientCredentialsTokenProvider(
            key.Options(server.TokenEndpoint, o => { o.MaxTokenRequestRetries = 1; o.TokenRequestRetryDelay = TimeSpan.FromMilliseconds(1); }));

        OAuth2Token token = await provider.GetTokenAsync();

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(503, server.Requests[0].Status);
        Assert.Equal(200, server.Requests[1].Status);
        Assert.NotEqual(server.Requests[0].Jti, server.Requests[1].Jti);
        Assert.NotEqual(server.Requests[0].Form["client_assertion"], server.Requests[1].Form["client_assertion"]);
        Assert.Equal("at-1-default", token.Value);
    }

    [Theory]
    [InlineData(20, true)]    // client clock ahead, within the server's 30 s leeway
    [InlineData(-50, true)]   // behind: the 60 s assertion is still inside its lifetime plus leeway on the server's clock
    [InlineData(-600, false)] // 10 minutes behind: expired on arrival
    [InlineData(600, false)]  // 10 minutes ahead: issued in the future
    public async Task GetTokenAsync_ClientClockSkew_AcceptedWithinLeewayOtherwiseInvalidClient(int skewSeconds, bool accepted)
    {
        using var key = SigningSetup.Create(KeySource.EcdsaCertificateEs256);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = key.PublicKey, Algorithm = key.Algorithm, Leeway = TimeSpan.FromSeconds(30) });
        using var provider = new ClientCredentialsTokenProvider(key.Options(server.TokenEndpoint), timeProvider: TestClock.Create(TimeSpan.FromSeconds(skewSeconds)));

        if (accepted)
        {
            await provider.GetTokenAsync();
            Assert.Equal(1, server.Issued);
        }
        else
        {
            OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());
            Assert.Equal("invalid_client", ex.Error);
            Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task GetTokenAsync_AudienceAndLifetimeAndNotBeforeConfigured_SentAsConfigured()
    {
        using var key = SigningSetup.Create(KeySource.RsaCertificateRs256);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = key.PublicKey, Algorithm = key.Algorithm, Audience = VerifyingTokenServer.Issuer });
        using var provider = new ClientCredentialsTokenProvider(
            key.Options(server.TokenEndpoint, o =>
            {
                o.ClientAssertionAudience = VerifyingTokenServer.Issuer;
                o.ClientAssertionLifetime = TimeSpan.FromSeconds(120);
                o.ClientAssertionIncludeNotBefore = true;
                o.SigningKeyId = "my-key-2026";
                o.SendCertificateThumbprint = true;
            }),
            timeProvider: TestClock.Create());

        await provider.GetTokenAsync();

        string assertion = Assert.Single(server.Requests).Form["client_assertion"];
        JsonElement claims = VerifyingTokenServer.ClaimsOf(assertion);
        JsonElement header = VerifyingTokenServer.HeaderOf(assertion);
        Assert.Equal(VerifyingTokenServer.Issuer, claims.GetProperty("aud").GetString());
        Assert.Equal(120, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
        Assert.Equal(claims.GetProperty("iat").GetInt64(), claims.GetProperty("nbf").GetInt64());
        Assert.Equal("my-key-2026", header.GetProperty("kid").GetString());
        Assert.Equal(SigningSetup.CertificateThumbprint(key.Certificate!), header.GetProperty("x5t#S256").GetString());
    }

    [Fact]
    public async Task GetTokenAsync_AssertionProvider_AskedOncePerAttemptAndSignatureVerified()
    {
        using RSA kmsKey = TestCertificates.NewRsa();
        var kms = new KmsLikeAssertionProvider(kmsKey);
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = kmsKey, Algorithm = "PS256", KeyId = "kms-key-1" });
        server.FailNext(1);
        var clock = TestClock.Create();
        using var provider = new ClientCredentialsTokenProvider(
            new OAuth2ClientOptions
            {
                TokenEndpoint = server.TokenEndpoint,
                ClientId = Harness.ClientId,
                ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt,
                ClientAssertionProvider = kms,
                MaxTokenRequestRetries = 1,
                TokenRequestRetryDelay = TimeSpan.FromMilliseconds(1),
            });

        await provider.GetTokenAsync();

        Assert.Equal(2, kms.Contexts.Count);
        Assert.Equal(1, server.Issued);
        ClientAssertionContext context = kms.Contexts[0];
        Assert.Equal(Harness.ClientId, context.ClientId);
        Assert.Equal(server.TokenEndpoint.AbsoluteUri, context.Audience);
        Assert.Equal(server.TokenEndpoint, context.TokenEndpoint);
        Assert.Equal(TimeSpan.FromSeconds(60), context.Lifetime);
    }

    [Fact]
    public async Task GetTokenAsync_AssertionProviderFails_TypedErrorAndNoRequest()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Algorithm = "PS256" });
        using var provider = new ClientCredentialsTokenProvider(new OAuth2ClientOptions
        {
            TokenEndpoint = server.TokenEndpoint,
            ClientId = Harness.ClientId,
            ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt,
            ClientAssertionProvider = new FailingAssertionProvider(),
        });

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());

        Assert.Contains("client assertion", ex.Message, StringComparison.Ordinal);
        Assert.Contains("KMS unavailable", ex.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }

#if !NETSTANDARD_BUILD_UNDER_TEST // PEM key import: the netstandard2.0 build refuses it; the certificate and JWK cases above cover signing.
    [Fact]
    public async Task GetTokenAsync_ServerEchoesAssertion_NeverInExceptionLogsOrToString()
    {
        using var key = SigningSetup.Create(KeySource.RsaPkcs8PemRs256);
        using RSA other = TestCertificates.NewRsa();
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { PublicKey = other, Algorithm = key.Algorithm, EchoAssertionInErrors = true });
        var logs = new FakeLogCollector();
        using ILoggerFactory loggerFactory = TestLogs.CreateFactory(logs);
        OAuth2ClientOptions options = key.Options(server.TokenEndpoint);
        using var provider = new ClientCredentialsTokenProvider(options, loggerFactory: loggerFactory);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());

        string assertion = server.Requests[0].Form["client_assertion"];
        string signature = assertion[(assertion.LastIndexOf('.') + 1)..];
        Assert.Contains("you sent", ex.Message, StringComparison.Ordinal); // the echo reached the message, scrubbed
        foreach (string text in new[] { ex.ToString(), ex.ErrorDescription ?? string.Empty, logs.AllText(), options.ToString(), provider.ToString() })
        {
            Assert.DoesNotContain(assertion, text, StringComparison.Ordinal);
            Assert.DoesNotContain(signature, text, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain(options.SigningKeyPem!.Split('\n')[1], text, StringComparison.Ordinal);
        }
    }
#endif

    private sealed class KmsLikeAssertionProvider(RSA key) : IClientAssertionProvider
    {
        public List<ClientAssertionContext> Contexts { get; } = [];

        public ValueTask<string> CreateAssertionAsync(ClientAssertionContext context, CancellationToken cancellationToken)
        {
            Contexts.Add(context);
            string input = context.CreateSigningInput("PS256", "kms-key-1");
            byte[] signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            return ValueTask.FromResult(ClientAssertionContext.AppendSignature(input, signature));
        }
    }

    private sealed class FailingAssertionProvider : IClientAssertionProvider
    {
        public ValueTask<string> CreateAssertionAsync(ClientAssertionContext context, CancellationToken cancellationToken)
            => throw new InvalidOperationException("KMS unavailable");
    }
}

/// <summary>A client key in one of the supported forms, with the public half and the kid the server expects.</summary>
public sealed class SigningSetup : IDisposable
{
    private readonly Action<OAuth2ClientOptions> _configure;
    private readonly string? _file;

    private SigningSetup(AsymmetricAlgorithm key, string algorithm, string expectedKeyId, Action<OAuth2ClientOptions> configure, X509Certificate2? certificate = null, string? file = null)
    {
        PublicKey = key;
        Algorithm = algorithm;
        ExpectedKeyId = expectedKeyId;
        _configure = configure;
        Certificate = certificate;
        _file = file;
    }

    public AsymmetricAlgorithm PublicKey { get; }

    public string Algorithm { get; }

    public string ExpectedKeyId { get; }

    public X509Certificate2? Certificate { get; }

    public static SigningSetup Create(PrivateKeyJwtTests.KeySource source)
    {
        switch (source)
        {
            case PrivateKeyJwtTests.KeySource.RsaCertificateRs256:
            case PrivateKeyJwtTests.KeySource.RsaCertificatePs256:
            case PrivateKeyJwtTests.KeySource.EcdsaCertificateEs256:
            {
                bool ec = source == PrivateKeyJwtTests.KeySource.EcdsaCertificateEs256;
                using AsymmetricAlgorithm key = ec ? TestCertificates.NewEcdsa() : TestCertificates.NewRsa();
                X509Certificate2 certificate = TestCertificates.SelfSigned(key);
                string algorithm = source switch { PrivateKeyJwtTests.KeySource.RsaCertificatePs256 => "PS256", PrivateKeyJwtTests.KeySource.EcdsaCertificateEs256 => "ES256", _ => "RS256" };
                AsymmetricAlgorithm publicKey = ec ? certificate.GetECDsaPublicKey()! : certificate.GetRSAPublicKey()!;
                return new SigningSetup(publicKey, algorithm, CertificateThumbprint(certificate), o =>
                {
                    o.SigningCertificate = certificate;
                    o.SigningAlgorithm = algorithm == "RS256" ? null : algorithm; // RS256 and ES256 are the defaults
                }, certificate);
            }

            case PrivateKeyJwtTests.KeySource.RsaPkcs8PemRs256:
            {
                RSA rsa = TestCertificates.NewRsa();
                string pem = rsa.ExportPkcs8PrivateKeyPem();
                return new SigningSetup(rsa, "RS256", JwkThumbprint(rsa), o => o.SigningKeyPem = pem);
            }

            case PrivateKeyJwtTests.KeySource.RsaPkcs1PemFilePs256:
            {
                RSA rsa = TestCertificates.NewRsa();
                string file = WriteTemp(rsa.ExportRSAPrivateKeyPem());
                return new SigningSetup(rsa, "PS256", JwkThumbprint(rsa), o => { o.SigningKeyFile = file; o.SigningAlgorithm = "PS256"; }, file: file);
            }

            case PrivateKeyJwtTests.KeySource.EcdsaSec1PemFileEs256:
            {
                ECDsa ecdsa = TestCertificates.NewEcdsa();
                string file = WriteTemp(ecdsa.ExportECPrivateKeyPem());
                return new SigningSetup(ecdsa, "ES256", JwkThumbprint(ecdsa), o => o.SigningKeyFile = file, file: file);
            }

            case PrivateKeyJwtTests.KeySource.EcdsaPkcs8PemEs256:
            {
                ECDsa ecdsa = TestCertificates.NewEcdsa();
                string pem = ecdsa.ExportPkcs8PrivateKeyPem();
                return new SigningSetup(ecdsa, "ES256", JwkThumbprint(ecdsa), o => o.SigningKeyPem = pem);
            }

            case PrivateKeyJwtTests.KeySource.RsaJwkPs256:
            {
                RSA rsa = TestCertificates.NewRsa();
                RSAParameters p = rsa.ExportParameters(true);
                string jwk = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["kid"] = "rsa-jwk-1", ["alg"] = "PS256",
                    ["n"] = B64(p.Modulus!), ["e"] = B64(p.Exponent!), ["d"] = B64(p.D!), ["p"] = B64(p.P!), ["q"] = B64(p.Q!),
                    ["dp"] = B64(p.DP!), ["dq"] = B64(p.DQ!), ["qi"] = B64(p.InverseQ!),
                });
                return new SigningSetup(rsa, "PS256", "rsa-jwk-1", o => o.SigningKeyJwk = jwk);
            }

            case PrivateKeyJwtTests.KeySource.EcdsaJwkEs256:
            {
                ECDsa ecdsa = TestCertificates.NewEcdsa();
                ECParameters p = ecdsa.ExportParameters(true);
                string jwk = JsonSerializer.Serialize(new Dictionary<string, string>
                {
                    ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!), ["d"] = B64(p.D!),
                });
                return new SigningSetup(ecdsa, "ES256", JwkThumbprint(ecdsa), o => o.SigningKeyJwk = jwk);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(source));
        }
    }

    public OAuth2ClientOptions Options(Uri tokenEndpoint, Action<OAuth2ClientOptions>? more = null)
    {
        var options = new OAuth2ClientOptions
        {
            TokenEndpoint = tokenEndpoint,
            ClientId = Harness.ClientId,
            ClientAuthentication = ClientAuthenticationStyle.PrivateKeyJwt,
            MaxTokenRequestRetries = 0,
        };
        _configure(options);
        more?.Invoke(options);
        return options;
    }

    public static string CertificateThumbprint(X509Certificate2 certificate) => B64(SHA256.HashData(certificate.RawData));

    /// <summary>RFC 7638, computed here independently of the library.</summary>
    public static string JwkThumbprint(AsymmetricAlgorithm key)
    {
        string json = key is RSA rsa
            ? $"{{\"e\":\"{B64(rsa.ExportParameters(false).Exponent!)}\",\"kty\":\"RSA\",\"n\":\"{B64(rsa.ExportParameters(false).Modulus!)}\"}}"
            : $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{B64(((ECDsa)key).ExportParameters(false).Q.X!)}\",\"y\":\"{B64(((ECDsa)key).ExportParameters(false).Q.Y!)}\"}}";
        return B64(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    public void Dispose()
    {
        PublicKey.Dispose();
        Certificate?.Dispose();
        if (_file is not null)
        {
            File.Delete(_file);
        }
    }

    private static string B64(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private static string WriteTemp(string pem)
    {
        string path = Path.Combine(Path.GetTempPath(), "oauth2client-test-" + Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(path, pem);
        return path;
    }
}
