using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using OAuth2Client.Settings;

namespace OAuth2Client;

/// <summary>
/// Everything a client needs to obtain tokens from one token endpoint: where it is, who the client is, and the
/// dialect it speaks. <see cref="ToString"/> and the debugger never show <see cref="ClientSecret"/> or a signing key.
/// </summary>
/// <remarks>
/// Give either <see cref="TokenEndpoint"/>, or <see cref="ServerAddress"/> with a <see cref="Profile"/> that knows its
/// path. Settings left <see langword="null"/> come from the profile. The token provider copies the options when it is
/// created; later changes to this object do not affect it.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class OAuth2ClientOptions
{
    /// <summary>
    /// Gets or sets the name operators know this client by: it labels the client's logs, metrics (<c>oauth2.client.name</c>),
    /// traces and health checks, so that two clients with the same client id are told apart. The dependency-injection
    /// package sets it to the registration name.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the client is named by its <see cref="ClientId"/>.</value>
    public string? Name { get; set; }

    /// <summary>
    /// Gets or sets the factory that creates the <c>OAuth2Client</c> meter for this client's instruments, so that a host
    /// (or a test) owns and isolates its meters. The dependency-injection package sets it to the container's factory.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: a meter shared by the process.</value>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Gets or sets the dialect of the token endpoint.</summary>
    /// <value>The default value is <see cref="TokenEndpointProfile.Rfc6749"/>. In configuration, a preset's name: <c>"Profile": "Ords"</c>.</value>
    public TokenEndpointProfile Profile { get; set; } = TokenEndpointProfile.Rfc6749;

    /// <summary>
    /// Gets or sets the server's base address (for example <c>https://erp.example.com</c>); the token endpoint is this
    /// address plus the profile's <see cref="TokenEndpointProfile.TokenPath"/>. Ignored when <see cref="TokenEndpoint"/> is set.
    /// </summary>
    public Uri? ServerAddress { get; set; }

    /// <summary>Gets or sets the value for <c>{schema}</c> in the profile's token path (Oracle ORDS: the schema's URL alias, as in <c>/ords/hr/oauth/token</c>).</summary>
    public string? Schema { get; set; }

    /// <summary>Gets or sets the absolute URI of the token endpoint. When set, it wins over <see cref="ServerAddress"/>.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>
    /// Gets or sets the absolute URI of the authorization endpoint, where <see cref="AuthorizationCodeTokenProvider"/>
    /// sends the user's browser to sign in. Not used by the client-credentials grant.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <see cref="ServerAddress"/> plus the profile's <see cref="TokenEndpointProfile.AuthorizePath"/>.</value>
    public Uri? AuthorizationEndpoint { get; set; }

    /// <summary>Gets or sets the client identifier issued by the authorization server.</summary>
    public string? ClientId { get; set; }

    /// <summary>Gets or sets the client secret. It is sent only to the token endpoint and never logged or shown.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string? ClientSecret { get; set; }

    /// <summary>Gets or sets the scope to request (space-separated for RFC 6749 servers; a virtual service name for CentraSite); <see langword="null"/> to let the server choose.</summary>
    public string? Scope { get; set; }

    /// <summary>Gets extra fields sent in the token request body (for example <c>audience</c> or <c>resource</c>).</summary>
    public IDictionary<string, string> AdditionalParameters { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how the client authenticates.</summary>
    /// <value>The default value is <see langword="null"/>: the profile's (HTTP Basic, RFC 6749 encoding, for <see cref="TokenEndpointProfile.Rfc6749"/>).</value>
    public ClientAuthenticationStyle? ClientAuthentication { get; set; }

    /// <summary>
    /// Gets or sets the certificate whose private key signs client assertions (<see cref="ClientAuthenticationStyle.PrivateKeyJwt"/>):
    /// RSA (RS256 by default, or PS256) or ECDSA P-256 (ES256). The <c>kid</c> header is the certificate's base64url SHA-256
    /// thumbprint unless <see cref="SigningKeyId"/> is set. Set it in code (for example from the certificate store).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public X509Certificate2? SigningCertificate { get; set; }

    /// <summary>
    /// Gets or sets the path of a PEM file holding the private key that signs client assertions
    /// (<see cref="ClientAuthenticationStyle.PrivateKeyJwt"/>): PKCS#8 <c>PRIVATE KEY</c>, <c>RSA PRIVATE KEY</c> or
    /// <c>EC PRIVATE KEY</c>, unencrypted. Read when the client is created. The <c>kid</c> header is the key's RFC 7638
    /// JWK thumbprint unless <see cref="SigningKeyId"/> is set. In configuration: <c>"SigningKeyFile": "/run/secrets/client.pem"</c>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SigningKeyFile { get; set; }

    /// <summary>Gets or sets the PEM text of the private key that signs client assertions (as <see cref="SigningKeyFile"/>, but the text itself). Never logged or shown.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string? SigningKeyPem { get; set; }

    /// <summary>
    /// Gets or sets a private JWK (RFC 7517, JSON; <c>kty</c> RSA or EC with <c>crv</c> P-256) that signs client
    /// assertions. Its own <c>kid</c> and <c>alg</c>, if any, are used unless <see cref="SigningKeyId"/> or
    /// <see cref="SigningAlgorithm"/> is set. Never logged or shown.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string? SigningKeyJwk { get; set; }

    /// <summary>
    /// Gets or sets the JWS algorithm of client assertions: <c>RS256</c> or <c>PS256</c> for an RSA key, <c>ES256</c> for
    /// an ECDSA P-256 key (<see cref="ClientAuthenticationStyle.PrivateKeyJwt"/>); <c>HS256</c> is the only one of
    /// <see cref="ClientAuthenticationStyle.ClientSecretJwt"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: RS256 for RSA keys, ES256 for ECDSA keys, HS256 for a secret.</value>
    public string? SigningAlgorithm { get; set; }

    /// <summary>Gets or sets the <c>kid</c> header of client assertions: the key id registered with the server.</summary>
    /// <value>The default value is <see langword="null"/>: the certificate's SHA-256 thumbprint, or the key's JWK thumbprint (RFC 7638).</value>
    public string? SigningKeyId { get; set; }

    /// <summary>Gets or sets whether client assertions signed with <see cref="SigningCertificate"/> carry its SHA-256 thumbprint as the <c>x5t#S256</c> header.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool SendCertificateThumbprint { get; set; }

    /// <summary>
    /// Gets or sets an app's own source of client assertions (<see cref="ClientAuthenticationStyle.PrivateKeyJwt"/>), for
    /// keys in a key vault, KMS or HSM; the SDK asks it for a fresh assertion for every token request attempt.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IClientAssertionProvider? ClientAssertionProvider { get; set; }

    /// <summary>Gets or sets the <c>aud</c> claim of client assertions. Some servers want their issuer identifier rather than the token endpoint.</summary>
    /// <value>The default value is <see langword="null"/>: the token endpoint's URL.</value>
    public string? ClientAssertionAudience { get; set; }

    /// <summary>Gets or sets how long a client assertion is valid (<c>exp</c> minus <c>iat</c>). A new one is made for every token request attempt.</summary>
    /// <value>The default value is 60 seconds (1 second to 1 hour).</value>
    public TimeSpan ClientAssertionLifetime { get; set; } = OAuth2Defaults.ClientAssertionLifetime;

    /// <summary>Gets or sets whether client assertions carry <c>nbf</c> (equal to <c>iat</c>), for servers that require it.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ClientAssertionIncludeNotBefore { get; set; }

    /// <summary>
    /// Gets or sets the TLS client certificate presented to the token endpoint (RFC 8705): required by the server for
    /// <see cref="ClientAuthenticationStyle.TlsClientCertificate"/>, and the certificate that certificate-bound tokens are
    /// bound to. Used on the <see cref="HttpClient"/> the provider creates for itself, and by the dependency-injection
    /// package on the token endpoint's named client; an <see cref="HttpClient"/> you pass in must carry it itself.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>
    /// Gets or sets how many sets of per-request token parameters (<see cref="OAuth2TokenParameters"/>) one client keeps
    /// tokens for. When the bound is reached, a request with a new set fails with <see cref="OAuth2TokenException"/>
    /// (sets already in use keep working); nothing is evicted, so a busy set never loses its token. 0 turns per-request
    /// parameters off.
    /// </summary>
    /// <value>The default value is 16 (0 to 1000).</value>
    public int MaxTokenParameterSets { get; set; } = OAuth2Defaults.MaxTokenParameterSets;

    /// <summary>Gets or sets the token request body format.</summary>
    /// <value>The default value is <see langword="null"/>: the profile's (form for <see cref="TokenEndpointProfile.Rfc6749"/>).</value>
    public TokenRequestFormat? RequestFormat { get; set; }

    /// <summary>Gets or sets the token response format.</summary>
    /// <value>The default value is <see langword="null"/>: the profile's (<see cref="TokenResponseFormat.Auto"/> for <see cref="TokenEndpointProfile.Rfc6749"/>).</value>
    public TokenResponseFormat? ResponseFormat { get; set; }

    /// <summary>Gets or sets the lifetime assumed when a token response has no <c>expires_in</c>.</summary>
    /// <value>The default value is <see langword="null"/>: the profile's (5 minutes for <see cref="TokenEndpointProfile.Rfc6749"/>).</value>
    public TimeSpan? DefaultTokenLifetime { get; set; }

    /// <summary>
    /// Gets or sets how long before expiry a token is replaced. It never exceeds a quarter of a token's lifetime,
    /// so a token that lives 30 seconds is still reused for about 22 seconds.
    /// </summary>
    /// <value>The default value is 60 seconds.</value>
    public TimeSpan RefreshBeforeExpiry { get; set; } = OAuth2Defaults.RefreshBeforeExpiry;

    /// <summary>
    /// Gets or sets whether a token entering its refresh window is renewed in the background while callers keep using it.
    /// When <see langword="false"/>, callers in the window wait for the renewal, as they do when the token has expired.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RefreshAhead { get; set; } = true;

    /// <summary>
    /// Gets or sets the first cool-down after a failed token request. While no valid token exists, callers then fail at
    /// once with the last error until the cool-down ends; each further failure doubles it (with jitter), up to
    /// <see cref="MaxFailureCooldown"/>. One request probes at a time; a success ends the cool-down at once. While a
    /// valid token exists, it is served throughout, and the cool-down only spaces out the background renewals.
    /// </summary>
    /// <value>The default value is 2 seconds (10 milliseconds to 1 hour).</value>
    public TimeSpan FailureCooldown { get; set; } = OAuth2Defaults.FailureCooldown;

    /// <summary>Gets or sets the longest cool-down after consecutive failed token requests (see <see cref="FailureCooldown"/>).</summary>
    /// <value>The default value is 60 seconds (at least <see cref="FailureCooldown"/>, at most 1 day).</value>
    public TimeSpan MaxFailureCooldown { get; set; } = OAuth2Defaults.MaxFailureCooldown;

    /// <summary>
    /// Gets or sets how old a token must be before a 401 from the API may renew it. An API that rejects every token
    /// (a revoked client, a misconfigured audience) then costs at most one token request per this interval instead of
    /// one per API request; the price is that a token revoked within this time of being issued is not replaced until
    /// the interval has passed (the 401 is returned to the caller as it is).
    /// </summary>
    /// <value>The default value is 5 seconds (0 to 1 hour).</value>
    public TimeSpan MinTokenAgeForRenewal { get; set; } = OAuth2Defaults.MinTokenAgeForRenewal;

    /// <summary>
    /// Gets or sets the largest API request body kept in memory so that it can be sent again after a 401. Bodies that
    /// can be read twice (byte arrays, strings, forms, seekable streams) are never copied; any other body (a
    /// non-seekable stream, a custom <see cref="System.Net.Http.HttpContent"/>) is kept while it is sent, up to this
    /// size. A larger body is streamed once and never held in memory: a 401 to it renews the token and is returned to
    /// the caller as it is (logged), so the caller's own retry succeeds.
    /// </summary>
    /// <value>The default value is 1 MiB (1,048,576 bytes); 0 to 2,147,483,647. 0 never keeps such a body.</value>
    public long MaxRequestBodyBufferSize { get; set; } = Http.RequestContentBuffering.DefaultMaxBufferSize;

    /// <summary>Gets or sets how many times a token request is retried after a network error, a timeout, or HTTP 408, 429, 500, 502, 503 or 504.</summary>
    /// <value>The default value is 2 retries (0 to 10).</value>
    public int MaxTokenRequestRetries { get; set; } = OAuth2Defaults.MaxTokenRequestRetries;

    /// <summary>Gets or sets the delay before the first retry of a token request; later ones back off exponentially with jitter. A <c>Retry-After</c> header (up to 30 seconds) wins.</summary>
    /// <value>The default value is 500 milliseconds.</value>
    public TimeSpan TokenRequestRetryDelay { get; set; } = OAuth2Defaults.TokenRequestRetryDelay;

    /// <summary>Gets or sets how long one token request attempt may take, response body included.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan TokenRequestTimeout { get; set; } = OAuth2Defaults.TokenRequestTimeout;

    /// <summary>Gets or sets whether a token endpoint on plain <c>http://</c> is allowed on a host other than loopback. Credentials would cross the network in clear text.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>Describes the options without the client secret.</summary>
    /// <returns>For example <c>OAuth2ClientOptions { Profile = Ords, TokenEndpoint = https://db.example.com/ords/hr/oauth/token, ClientId = app, ClientSecret = (set), Scope = (none) }</c>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("OAuth2ClientOptions { ");
        if (Name is not null)
        {
            text.Append("Name = ").Append(Name).Append(", ");
        }

        text.Append("Profile = ").Append(Profile?.Name ?? "(none)");
        text.Append(", TokenEndpoint = ").Append(TokenEndpoint is not null ? Diagnostics.Redaction.RedactUri(TokenEndpoint) : ServerAddress is not null ? Diagnostics.Redaction.RedactUri(ServerAddress) + " (server)" : "(none)");
        text.Append(", ClientId = ").Append(ClientId ?? "(none)");
        text.Append(", ClientSecret = ").Append(string.IsNullOrEmpty(ClientSecret) ? "(none)" : "(set)");
        if (ClientAuthentication is { } authentication)
        {
            text.Append(", ClientAuthentication = ").Append(authentication);
        }

        text.Append(", Scope = ").Append(Scope ?? "(none)").Append(" }");
        return text.ToString();
    }
}
