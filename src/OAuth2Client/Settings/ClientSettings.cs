using System.Security.Cryptography.X509Certificates;
using OAuth2Client.ClientAuthentication;
using OAuth2Client.Diagnostics;

namespace OAuth2Client.Settings;

/// <summary>
/// An immutable snapshot of validated <see cref="OAuth2ClientOptions"/> with the profile's defaults filled in and the
/// endpoints resolved. Validation lives in <see cref="OAuth2ClientOptionsValidator"/>; how the settings become a
/// request lives in the endpoint's request builder, the cache key in the cache.
/// </summary>
internal sealed class ClientSettings
{
    private ClientSettings(OAuth2ClientOptions options)
    {
        TokenEndpointProfile profile = options.Profile;
        ProfileName = profile.Name;
        TokenEndpoint = ResolveTokenEndpoint(options);
        RedactedTokenEndpoint = Redaction.RedactUri(TokenEndpoint);
        AuthorizationEndpoint = ResolveAuthorizationEndpoint(options);
        ClientId = options.ClientId!;
        ClientSecret = string.IsNullOrEmpty(options.ClientSecret) ? null : options.ClientSecret;
        Scope = string.IsNullOrWhiteSpace(options.Scope) ? null : options.Scope.Trim();
        AdditionalParameters = [.. options.AdditionalParameters.OrderBy(p => p.Key, StringComparer.Ordinal)];
        ClientAuthentication = options.ClientAuthentication ?? profile.ClientAuthentication;
        RequestFormat = options.RequestFormat ?? profile.RequestFormat;
        ResponseFormat = options.ResponseFormat ?? profile.ResponseFormat;
        DefaultTokenLifetime = options.DefaultTokenLifetime ?? profile.DefaultTokenLifetime;
        SendGrantType = profile.SendGrantType;
        SendClientIdInBody = profile.SendClientIdInBody;
        ScopeParameterName = profile.ScopeParameterName;
        RefreshBeforeExpiry = options.RefreshBeforeExpiry;
        MaxTokenRequestRetries = options.MaxTokenRequestRetries;
        TokenRequestRetryDelay = options.TokenRequestRetryDelay;
        TokenRequestTimeout = options.TokenRequestTimeout;
        RefreshAhead = options.RefreshAhead;
        FailureCooldown = options.FailureCooldown;
        MaxFailureCooldown = options.MaxFailureCooldown;
        MinTokenAgeForRenewal = options.MinTokenAgeForRenewal;
        SigningKey = ClientAssertionSource.LoadKey(options, ClientAuthentication);
        ClientAssertionProvider = ClientAuthentication == ClientAuthenticationStyle.PrivateKeyJwt ? options.ClientAssertionProvider : null;
        ClientAssertionAudience = string.IsNullOrWhiteSpace(options.ClientAssertionAudience) ? TokenEndpoint.AbsoluteUri : options.ClientAssertionAudience.Trim();
        ClientAssertionLifetime = options.ClientAssertionLifetime;
        ClientAssertionIncludeNotBefore = options.ClientAssertionIncludeNotBefore;
        ClientCertificate = options.ClientCertificate;
        MaxTokenParameterSets = options.MaxTokenParameterSets;
        Telemetry = new ClientTelemetry(options.Name, ClientId, ProfileName, TokenEndpoint, options.MeterFactory);
    }

    /// <summary>The name operators know the client by: <see cref="OAuth2ClientOptions.Name"/>, or the client id.</summary>
    public string Name => Telemetry.Name;

    /// <summary>The client's spans and measurements.</summary>
    public ClientTelemetry Telemetry { get; }

    public string ProfileName { get; }

    public Uri TokenEndpoint { get; }

    /// <summary>The token endpoint without user info or query: safe for logs and messages.</summary>
    public string RedactedTokenEndpoint { get; }

    /// <summary>The authorization endpoint for the authorization-code grant, or <see langword="null"/> when none is configured.</summary>
    public Uri? AuthorizationEndpoint { get; }

    public string ClientId { get; }

    public string? ClientSecret { get; }

    public string? Scope { get; }

    /// <summary>Extra body fields, ordered by name so equal options give equal requests and cache keys.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AdditionalParameters { get; }

    public ClientAuthenticationStyle ClientAuthentication { get; }

    public TokenRequestFormat RequestFormat { get; }

    public TokenResponseFormat ResponseFormat { get; }

    public TimeSpan DefaultTokenLifetime { get; }

    /// <summary>The profile's wish for the client-credentials grant: <see langword="false"/> means the server implies it.</summary>
    public bool SendGrantType { get; }

    public bool SendClientIdInBody { get; }

    public string ScopeParameterName { get; }

    public TimeSpan RefreshBeforeExpiry { get; }

    public int MaxTokenRequestRetries { get; }

    public TimeSpan TokenRequestRetryDelay { get; }

    public TimeSpan TokenRequestTimeout { get; }

    public bool RefreshAhead { get; }

    public TimeSpan FailureCooldown { get; }

    public TimeSpan MaxFailureCooldown { get; }

    public TimeSpan MinTokenAgeForRenewal { get; }

    /// <summary>The key that signs client assertions (<c>private_key_jwt</c> from a certificate, PEM or JWK; the secret for <c>client_secret_jwt</c>).</summary>
    public AssertionSigningKey? SigningKey { get; }

    /// <summary>The app's own assertion source (<c>private_key_jwt</c> with a key the app holds).</summary>
    public IClientAssertionProvider? ClientAssertionProvider { get; }

    /// <summary>The <c>aud</c> of client assertions: the configured one, or the token endpoint.</summary>
    public string ClientAssertionAudience { get; }

    public TimeSpan ClientAssertionLifetime { get; }

    public bool ClientAssertionIncludeNotBefore { get; }

    /// <summary>The TLS client certificate for the token endpoint (RFC 8705), used on the provider's own HTTP client.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>How many per-request parameter sets one client keeps tokens for; 0 when per-request parameters are off.</summary>
    public int MaxTokenParameterSets { get; }

    /// <summary>Validates <paramref name="options"/> for a grant and snapshots them.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static ClientSettings Create(OAuth2ClientOptions options, OAuth2ClientOptionsValidator validator)
    {
        ArgumentNullException.ThrowIfNull(options);
        validator.ThrowIfInvalid(options);
        return new ClientSettings(options);
    }

    /// <summary>The token endpoint: the explicit one, or the server address plus the profile's path. Options must be valid.</summary>
    internal static Uri ResolveTokenEndpoint(OAuth2ClientOptions options)
        => options.TokenEndpoint ?? options.Profile.BuildTokenEndpoint(options.ServerAddress!, options.Schema);

    internal static Uri? ResolveAuthorizationEndpoint(OAuth2ClientOptions options)
        => options.AuthorizationEndpoint
            ?? (options.ServerAddress is { IsAbsoluteUri: true } server && options.Profile.AuthorizePath is not null
                ? options.Profile.BuildAuthorizeEndpoint(server)
                : null);
}
