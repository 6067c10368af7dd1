using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace OAuth2Client.Internal;

/// <summary>
/// An immutable, validated snapshot of <see cref="OAuth2ClientOptions"/> with the profile's defaults filled in.
/// Only the token endpoint client reads the profile-derived parts.
/// </summary>
internal sealed class ClientSettings
{
    private ClientSettings(OAuth2ClientOptions options, Uri tokenEndpoint)
    {
        TokenEndpointProfile profile = options.Profile;
        ProfileName = profile.Name;
        TokenEndpoint = tokenEndpoint;
        ClientId = options.ClientId!;
        ClientSecret = string.IsNullOrEmpty(options.ClientSecret) ? null : options.ClientSecret;
        Scope = string.IsNullOrWhiteSpace(options.Scope) ? null : options.Scope.Trim();
        AdditionalParameters = options.AdditionalParameters
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToArray();
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
        RedactedTokenEndpoint = UriRedaction.Redact(tokenEndpoint);
        AuthorizationEndpoint = ResolveAuthorizationEndpoint(options);
        CacheKey = BuildCacheKey();
    }

    public string ProfileName { get; }

    public Uri TokenEndpoint { get; }

    /// <summary>The token endpoint without user info or query: safe for logs and messages.</summary>
    public string RedactedTokenEndpoint { get; }

    public string ClientId { get; }

    public string? ClientSecret { get; }

    public string? Scope { get; }

    public IReadOnlyList<KeyValuePair<string, string>> AdditionalParameters { get; }

    public ClientAuthenticationStyle ClientAuthentication { get; }

    public TokenRequestFormat RequestFormat { get; }

    public TokenResponseFormat ResponseFormat { get; }

    public TimeSpan DefaultTokenLifetime { get; }

    public bool SendGrantType { get; }

    public bool SendClientIdInBody { get; }

    public string ScopeParameterName { get; }

    public TimeSpan RefreshBeforeExpiry { get; }

    public int MaxTokenRequestRetries { get; }

    public TimeSpan TokenRequestRetryDelay { get; }

    public TimeSpan TokenRequestTimeout { get; }

    /// <summary>The authorization endpoint for the authorization-code grant, or <see langword="null"/> when none is configured.</summary>
    public Uri? AuthorizationEndpoint { get; }

    /// <summary>
    /// Everything that changes which token the server issues, so two different clients never share a cache entry:
    /// endpoint, client id, a fingerprint of the secret (a client with a wrong secret must not be handed a token another
    /// client earned), scope and extra parameters. The secret itself is never part of the key.
    /// </summary>
    public string CacheKey { get; }

    /// <summary>Validates and snapshots the options.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public static ClientSettings Create(OAuth2ClientOptions options, bool requireClientSecret = true, bool requireAuthorizationEndpoint = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<string> errors = Validate(options, requireClientSecret, requireAuthorizationEndpoint);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid OAuth2 client options: " + string.Join(" ", errors), nameof(options));
        }

        return new ClientSettings(options, ResolveTokenEndpoint(options)!);
    }

    /// <summary>Returns every problem with the options, each naming the option and the fix; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(OAuth2ClientOptions options, bool requireClientSecret = true, bool requireAuthorizationEndpoint = false)
    {
        var errors = new List<string>();
        if (options.Profile is null)
        {
            errors.Add("Profile is required: leave it at its default (Rfc6749) or choose a preset such as TokenEndpointProfile.Ords.");
            return errors;
        }

        if (options.Profile.IsUnresolved)
        {
            errors.Add($"Profile '{options.Profile.Name}' is not a known profile: use one of {string.Join(", ", TokenEndpointProfile.PresetNames)}, or build a TokenEndpointProfile in code.");
            return errors;
        }

        ValidateEndpoint(options, errors);
        if (requireAuthorizationEndpoint)
        {
            ValidateAuthorizationEndpoint(options, errors);
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("ClientId is required: set it to the client id the authorization server issued.");
        }

        if (requireClientSecret && string.IsNullOrEmpty(options.ClientSecret))
        {
            errors.Add("ClientSecret is required for the client-credentials grant: set it from a secret store, user secrets or an environment variable.");
        }

        if (options.RefreshBeforeExpiry < TimeSpan.Zero)
        {
            errors.Add($"RefreshBeforeExpiry must not be negative (it is {options.RefreshBeforeExpiry}): use 00:00:00 or more; the default is {OAuth2Defaults.RefreshBeforeExpiry}.");
        }

        if (options.DefaultTokenLifetime is { } lifetime && lifetime <= TimeSpan.Zero)
        {
            errors.Add($"DefaultTokenLifetime must be positive (it is {lifetime}): leave it unset to use the profile's.");
        }

        if (options.MaxTokenRequestRetries is < 0 or > OAuth2Defaults.MaxRetriesAllowed)
        {
            errors.Add($"MaxTokenRequestRetries must be between 0 and {OAuth2Defaults.MaxRetriesAllowed} (it is {options.MaxTokenRequestRetries}).");
        }

        if (options.TokenRequestRetryDelay < TimeSpan.Zero)
        {
            errors.Add($"TokenRequestRetryDelay must not be negative (it is {options.TokenRequestRetryDelay}).");
        }

        if (options.TokenRequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"TokenRequestTimeout must be positive (it is {options.TokenRequestTimeout}).");
        }

        if (options.ClientAuthentication is { } auth && !Enum.IsDefined(auth))
        {
            errors.Add($"ClientAuthentication '{auth}' is not a known style: use BasicHeader, BasicHeaderRaw or RequestBody.");
        }

        foreach (string key in options.AdditionalParameters.Keys)
        {
            if (IsReserved(key))
            {
                errors.Add($"AdditionalParameters must not contain '{key}': it is set by the client itself.");
            }
        }

        return errors;
    }

    private static void ValidateEndpoint(OAuth2ClientOptions options, List<string> errors)
    {
        if (options.TokenEndpoint is null && options.ServerAddress is null)
        {
            errors.Add(options.Profile.TokenPath is null
                ? "TokenEndpoint is required: set it to the absolute URL of the token endpoint, for example https://login.example.com/oauth2/token."
                : $"TokenEndpoint or ServerAddress is required: set ServerAddress to the server's base URL (the '{options.Profile.Name}' profile adds '{options.Profile.TokenPath}'), or TokenEndpoint to the full URL.");
            return;
        }

        if (options.TokenEndpoint is { IsAbsoluteUri: false })
        {
            errors.Add($"TokenEndpoint must be an absolute URI (it is '{UriRedaction.Redact(options.TokenEndpoint)}'): include the scheme and host, for example https://login.example.com/oauth2/token.");
            return;
        }

        if (options.TokenEndpoint is null && options.ServerAddress is { IsAbsoluteUri: false })
        {
            errors.Add($"ServerAddress must be an absolute URI (it is '{UriRedaction.Redact(options.ServerAddress)}'): include the scheme and host, for example https://erp.example.com.");
            return;
        }

        if (options.TokenEndpoint is null && options.Profile.TokenPath is null)
        {
            errors.Add($"The '{options.Profile.Name}' profile has no token path, so ServerAddress alone is not enough: set TokenEndpoint to the full URL.");
            return;
        }

        if (options.TokenEndpoint is null
            && options.Profile.TokenPath!.Contains(TokenEndpointProfile.SchemaPlaceholder, StringComparison.Ordinal)
            && string.IsNullOrWhiteSpace(options.Schema))
        {
            errors.Add($"Schema is required by the '{options.Profile.Name}' profile (token path '{options.Profile.TokenPath}'): set it to the schema's URL alias, for example 'hr'.");
            return;
        }

        Uri endpoint = ResolveTokenEndpoint(options)!;
        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"TokenEndpoint must use https (it is '{UriRedaction.Redact(endpoint)}').");
        }
        else if (endpoint.Scheme == Uri.UriSchemeHttp && !options.AllowInsecureHttp && !IsLoopback(endpoint))
        {
            errors.Add($"TokenEndpoint '{UriRedaction.Redact(endpoint)}' uses plain http on a host that is not loopback, which would send the client secret in clear text: use https, or set AllowInsecureHttp to true if you accept that risk.");
        }
    }

    private static void ValidateAuthorizationEndpoint(OAuth2ClientOptions options, List<string> errors)
    {
        if (options.AuthorizationEndpoint is { IsAbsoluteUri: false })
        {
            errors.Add($"AuthorizationEndpoint must be an absolute URI (it is '{UriRedaction.Redact(options.AuthorizationEndpoint)}'): include the scheme and host, for example https://login.example.com/oauth2/authorize.");
            return;
        }

        if (ResolveAuthorizationEndpoint(options) is not { } endpoint)
        {
            errors.Add(options.Profile.AuthorizePath is null
                ? $"AuthorizationEndpoint is required for the authorization-code grant (the '{options.Profile.Name}' profile has no authorize path): set it to the absolute URL of the authorization endpoint, for example https://login.example.com/oauth2/authorize."
                : $"AuthorizationEndpoint or ServerAddress is required for the authorization-code grant: set ServerAddress (the '{options.Profile.Name}' profile adds '{options.Profile.AuthorizePath}'), or AuthorizationEndpoint to the full URL.");
            return;
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"AuthorizationEndpoint must use https (it is '{UriRedaction.Redact(endpoint)}').");
        }
        else if (endpoint.Scheme == Uri.UriSchemeHttp && !options.AllowInsecureHttp && !IsLoopback(endpoint))
        {
            errors.Add($"AuthorizationEndpoint '{UriRedaction.Redact(endpoint)}' uses plain http on a host that is not loopback, where the user's sign-in could be read or altered: use https, or set AllowInsecureHttp to true if you accept that risk.");
        }
    }

    private static Uri? ResolveAuthorizationEndpoint(OAuth2ClientOptions options)
        => options.AuthorizationEndpoint
            ?? (options.ServerAddress is { IsAbsoluteUri: true } server && options.Profile.AuthorizePath is not null
                ? options.Profile.BuildAuthorizeEndpoint(server)
                : null);

    private static Uri? ResolveTokenEndpoint(OAuth2ClientOptions options)
        => options.TokenEndpoint ?? options.Profile.BuildTokenEndpoint(options.ServerAddress!, options.Schema);

    internal static bool IsLoopback(Uri uri)
        => uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out IPAddress? address) && IPAddress.IsLoopback(address));

    private static bool IsReserved(string key) => key is "grant_type" or "client_id" or "client_secret";

    private string BuildCacheKey()
    {
        string secretFingerprint = ClientSecret is null
            ? "-"
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("oauth2client-cache-key:" + ClientSecret)), 0, 16);
        var key = new StringBuilder("oauth2client:").Append(TokenEndpoint.AbsoluteUri)
            .Append('|').Append(ClientId)
            .Append('|').Append(secretFingerprint)
            .Append('|').Append(ClientAuthentication)
            .Append('|').Append(Scope);
        foreach (KeyValuePair<string, string> parameter in AdditionalParameters)
        {
            key.Append('|').Append(parameter.Key).Append('=').Append(parameter.Value);
        }

        return key.ToString();
    }
}
