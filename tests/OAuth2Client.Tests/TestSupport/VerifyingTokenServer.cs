using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// A loopback token server (Kestrel) that really authenticates the client, the way a strict RFC 6749 server does:
/// <list type="bullet">
/// <item>a JWT client assertion (RFC 7523): the signature with the registered public key (RS256, PS256, ES256) or the
/// shared secret (HS256), <c>alg</c>, <c>iss</c> = <c>sub</c> = client id, <c>aud</c>, <c>exp</c>/<c>iat</c>/<c>nbf</c>
/// with a leeway on its own clock, and a <c>jti</c> never seen before (a replay is refused with <c>invalid_client</c>);</item>
/// <item>or a TLS client certificate (RFC 8705) with the registered thumbprint, over HTTPS;</item>
/// <item>or HTTP Basic with the client secret.</item>
/// </list>
/// It never accepts a request that carries a second way of authenticating (a secret next to an assertion). Tokens
/// name the scope they were issued for, and the server counts token requests per scope.
/// </summary>
public sealed class VerifyingTokenServer : IAsyncDisposable
{
    public const string TokenPath = "/oauth/token";
    public const string Issuer = "https://issuer.test/";

    private readonly WebApplication _app;
    private readonly Options _options;
    private readonly ConcurrentDictionary<string, bool> _seenJti = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, int> _issuedPerScope = new(StringComparer.Ordinal);
    private int _transientFailuresLeft;
    private int _issued;

    private VerifyingTokenServer(WebApplication app, Options options, Uri tokenEndpoint)
    {
        _app = app;
        _options = options;
        TokenEndpoint = tokenEndpoint;
    }

    /// <summary>Who the server accepts and how.</summary>
    public sealed class Options
    {
        public string ClientId { get; init; } = Harness.ClientId;

        /// <summary>Public key (RSA or ECDsa) that verifies private_key_jwt assertions.</summary>
        public AsymmetricAlgorithm? PublicKey { get; init; }

        /// <summary>The <c>alg</c> the server expects (it refuses any other).</summary>
        public string? Algorithm { get; init; }

        /// <summary>The <c>kid</c> the server expects, when set.</summary>
        public string? KeyId { get; init; }

        /// <summary>The shared secret: HS256 key for client_secret_jwt, or the Basic password.</summary>
        public string? Secret { get; init; }

        /// <summary>The expected <c>aud</c>; the token endpoint's URL when null.</summary>
        public string? Audience { get; init; }

        /// <summary>How far the client's clock may be off.</summary>
        public TimeSpan Leeway { get; init; } = TimeSpan.FromSeconds(30);

        /// <summary>Longest assertion lifetime accepted.</summary>
        public TimeSpan MaxAssertionLifetime { get; init; } = TimeSpan.FromMinutes(5);

        /// <summary>Serve HTTPS with this certificate and require a TLS client certificate issued by <see cref="ClientCertificateAuthority"/>.</summary>
        public X509Certificate2? ServerCertificate { get; init; }

        public X509Certificate2? ClientCertificateAuthority { get; init; }

        /// <summary>The SHA-256 thumbprint of the one client certificate accepted (RFC 8705 tls_client_auth / self-signed).</summary>
        public string? ClientCertificateThumbprint { get; init; }

        /// <summary>Echo the client_assertion in error_description, as careless servers do (leak tests).</summary>
        public bool EchoAssertionInErrors { get; init; }

        /// <summary>Token lifetime in seconds.</summary>
        public int ExpiresIn { get; init; } = 3600;
    }

    /// <summary>One token request as the server saw it.</summary>
    public sealed record Received(IReadOnlyDictionary<string, string> Form, string? Authorization, string? ClientCertificateThumbprint, string? Jti, int Status, string? Error);

    public Uri TokenEndpoint { get; }

    public IReadOnlyList<Received> Requests => [.. _received];

    /// <summary>Requests that got a token.</summary>
    public int Issued => Volatile.Read(ref _issued);

    public int IssuedFor(string? scope) => _issuedPerScope.TryGetValue(scope ?? string.Empty, out int n) ? n : 0;

    /// <summary>The next <paramref name="count"/> requests are answered 503 after the assertion has been checked and its jti spent.</summary>
    public void FailNext(int count) => Volatile.Write(ref _transientFailuresLeft, count);

    public static async Task<VerifyingTokenServer> StartAsync(Options options)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (options.ServerCertificate is { } serverCertificate)
            {
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = serverCertificate;
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (certificate, _, _) => options.ClientCertificateAuthority is null || ChainsTo(certificate, options.ClientCertificateAuthority);
                });
            }
        }));
        WebApplication app = builder.Build();
        VerifyingTokenServer? server = null;
        app.MapPost(TokenPath, (Delegate)((HttpContext context) => server!.HandleAsync(context)));
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new UriBuilder(address + TokenPath) { Host = "127.0.0.1" }.Uri;
        server = new VerifyingTokenServer(app, options, uri);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool ChainsTo(X509Certificate2 certificate, X509Certificate2 authority)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        IFormCollection form = await context.Request.ReadFormAsync();
        var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        string? authorization = context.Request.Headers.Authorization.FirstOrDefault();
        X509Certificate2? clientCertificate = context.Connection.ClientCertificate;
        string? thumbprint = clientCertificate is null ? null : Convert.ToHexString(SHA256.HashData(clientCertificate.RawData));
        string? jti = null;
        string? error = Authenticate(fields, authorization, thumbprint, ref jti);
        int status;
        IResult result;
        if (error is not null)
        {
            status = 401;
            string description = _options.EchoAssertionInErrors && fields.TryGetValue("client_assertion", out string? echoed)
                ? error + "; you sent: " + echoed
                : error;
            result = Results.Json(new Dictionary<string, string> { ["error"] = "invalid_client", ["error_description"] = description }, statusCode: status);
        }
        else if (Interlocked.Decrement(ref _transientFailuresLeft) >= 0)
        {
            status = 503;
            result = Results.StatusCode(status);
        }
        else
        {
            status = 200;
            fields.TryGetValue("scope", out string? scope);
            int n = Interlocked.Increment(ref _issued);
            _issuedPerScope.AddOrUpdate(scope ?? string.Empty, 1, (_, c) => c + 1);
            result = Results.Json(new Dictionary<string, object>
            {
                ["access_token"] = $"at-{n}-{scope ?? "default"}",
                ["token_type"] = "Bearer",
                ["expires_in"] = _options.ExpiresIn,
            });
        }

        _received.Enqueue(new Received(fields, authorization, thumbprint, jti, status, error));
        return result;
    }

    /// <summary>Null when the client is authenticated, else why not.</summary>
    private string? Authenticate(Dictionary<string, string> form, string? authorization, string? thumbprint, ref string? jti)
    {
        if (form.TryGetValue("client_assertion", out string? assertion))
        {
            if (authorization is not null || form.ContainsKey("client_secret"))
            {
                return "more than one client authentication method";
            }

            if (form.GetValueOrDefault("client_assertion_type") != "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            {
                return "wrong client_assertion_type";
            }

            if (form.TryGetValue("client_id", out string? id) && id != _options.ClientId)
            {
                return "client_id does not match the assertion";
            }

            return VerifyAssertion(assertion, ref jti);
        }

        if (_options.ClientCertificateThumbprint is not null)
        {
            if (authorization is not null || form.ContainsKey("client_secret"))
            {
                return "a secret was sent to a tls_client_auth client";
            }

            return thumbprint == _options.ClientCertificateThumbprint && form.GetValueOrDefault("client_id") == _options.ClientId
                ? null
                : "the TLS client certificate or client_id does not match the client";
        }

        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_options.ClientId + ":" + _options.Secret));
        return _options.Secret is not null && authorization == expected ? null : "bad client credentials";
    }

    private string? VerifyAssertion(string assertion, ref string? jti)
    {
        string[] parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "the assertion is not a JWS";
        }

        using JsonDocument header = JsonDocument.Parse(Base64UrlDecode(parts[0]));
        using JsonDocument claims = JsonDocument.Parse(Base64UrlDecode(parts[1]));
        string? alg = Text(header, "alg");
        if (alg != _options.Algorithm)
        {
            return $"alg {alg} is not the registered {_options.Algorithm}";
        }

        if (_options.KeyId is not null && Text(header, "kid") != _options.KeyId)
        {
            return "unknown kid";
        }

        byte[] input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        byte[] signature = Base64UrlDecode(parts[2]);
        bool valid = alg switch
        {
            "RS256" => ((RSA)_options.PublicKey!).VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => ((RSA)_options.PublicKey!).VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" => signature.Length == 64 && ((ECDsa)_options.PublicKey!).VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "HS256" => CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(Encoding.UTF8.GetBytes(_options.Secret!), input), signature),
            _ => false,
        };
        if (!valid)
        {
            return "bad signature";
        }

        if (Text(claims, "iss") != _options.ClientId || Text(claims, "sub") != _options.ClientId)
        {
            return "iss and sub must be the client id";
        }

        if (Text(claims, "aud") != (_options.Audience ?? TokenEndpoint.AbsoluteUri))
        {
            return "wrong audience";
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        if (!claims.RootElement.TryGetProperty("exp", out JsonElement expElement) || !claims.RootElement.TryGetProperty("iat", out JsonElement iatElement))
        {
            return "exp and iat are required";
        }

        DateTimeOffset exp = DateTimeOffset.FromUnixTimeSeconds(expElement.GetInt64());
        DateTimeOffset iat = DateTimeOffset.FromUnixTimeSeconds(iatElement.GetInt64());
        if (exp <= now - _options.Leeway)
        {
            return "the assertion has expired";
        }

        if (iat > now + _options.Leeway || (claims.RootElement.TryGetProperty("nbf", out JsonElement nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf.GetInt64()) > now + _options.Leeway))
        {
            return "the assertion is not valid yet";
        }

        if (exp - iat > _options.MaxAssertionLifetime)
        {
            return "the assertion lives too long";
        }

        jti = Text(claims, "jti");
        if (string.IsNullOrEmpty(jti))
        {
            return "jti is required";
        }

        return _seenJti.TryAdd(jti, true) ? null : "jti replayed";
    }

    private static string? Text(JsonDocument document, string name)
        => document.RootElement.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);

    /// <summary>The claims of an assertion, for assertions about what the client sent.</summary>
    public static JsonElement ClaimsOf(string assertion) => JsonDocument.Parse(Base64UrlDecode(assertion.Split('.')[1])).RootElement.Clone();

    public static JsonElement HeaderOf(string assertion) => JsonDocument.Parse(Base64UrlDecode(assertion.Split('.')[0])).RootElement.Clone();
}
