using System.Diagnostics;
using System.Text;
using OAuth2Client.Settings;

namespace OAuth2Client;

/// <summary>
/// Everything a client needs to obtain tokens from one token endpoint: where it is, who the client is, and the
/// dialect it speaks. <see cref="ToString"/> and the debugger never show <see cref="ClientSecret"/>.
/// </summary>
/// <remarks>
/// Give either <see cref="TokenEndpoint"/>, or <see cref="ServerAddress"/> with a <see cref="Profile"/> that knows its
/// path. Settings left <see langword="null"/> come from the profile. The token provider copies the options when it is
/// created; later changes to this object do not affect it.
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class OAuth2ClientOptions
{
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
        var text = new StringBuilder("OAuth2ClientOptions { Profile = ").Append(Profile?.Name ?? "(none)");
        text.Append(", TokenEndpoint = ").Append(TokenEndpoint is not null ? Diagnostics.Redaction.RedactUri(TokenEndpoint) : ServerAddress is not null ? Diagnostics.Redaction.RedactUri(ServerAddress) + " (server)" : "(none)");
        text.Append(", ClientId = ").Append(ClientId ?? "(none)");
        text.Append(", ClientSecret = ").Append(string.IsNullOrEmpty(ClientSecret) ? "(none)" : "(set)");
        text.Append(", Scope = ").Append(Scope ?? "(none)").Append(" }");
        return text.ToString();
    }
}
