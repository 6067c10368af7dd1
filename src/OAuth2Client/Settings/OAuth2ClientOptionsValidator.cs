using System.Net;
using System.Security.Cryptography;
using OAuth2Client.ClientAuthentication;
using OAuth2Client.Diagnostics;
using OAuth2Client.Settings;

namespace OAuth2Client;

/// <summary>
/// Checks <see cref="OAuth2ClientOptions"/> for one grant and returns every problem, each naming the option and its
/// fix. The token providers run it when they are created; the dependency-injection package runs it when the host
/// starts (<c>ValidateOnStart</c>); an app that builds options from its own configuration can run it first.
/// </summary>
/// <example>
/// <code>
/// IReadOnlyList&lt;string&gt; problems = OAuth2ClientOptionsValidator.ClientCredentials.Validate(options);
/// </code>
/// </example>
public sealed class OAuth2ClientOptionsValidator
{
    private readonly Action<OAuth2ClientOptions, List<string>> _grantRules;

    private OAuth2ClientOptionsValidator(Action<OAuth2ClientOptions, List<string>> grantRules) => _grantRules = grantRules;

    /// <summary>
    /// Gets the validator for the client-credentials grant (<see cref="ClientCredentialsTokenProvider"/>): the client must
    /// authenticate, so a client secret is required unless <see cref="OAuth2ClientOptions.ClientAuthentication"/> is
    /// <see cref="ClientAuthenticationStyle.PrivateKeyJwt"/> (a signing key) or <see cref="ClientAuthenticationStyle.TlsClientCertificate"/>.
    /// </summary>
    public static OAuth2ClientOptionsValidator ClientCredentials { get; } = new(static (options, errors) =>
    {
        ClientAuthenticationStyle style = options.ClientAuthentication ?? options.Profile.ClientAuthentication;
        if (UsesSecret(style) && string.IsNullOrEmpty(options.ClientSecret))
        {
            errors.Add($"ClientSecret is required for the client-credentials grant with ClientAuthentication {style}: set it from a secret store, user secrets or an environment variable, or authenticate without a secret (ClientAuthentication PrivateKeyJwt with a signing key, or TlsClientCertificate).");
        }
    });

    /// <summary>
    /// Gets the validator for the authorization-code grant (<see cref="AuthorizationCodeTokenProvider"/>): an
    /// authorization endpoint is required; a client secret is optional (without one the client is public).
    /// </summary>
    public static OAuth2ClientOptionsValidator AuthorizationCode { get; } = new(static (options, errors) =>
    {
        ValidateAuthorizationEndpoint(options, errors);
        if ((options.ClientAuthentication ?? options.Profile.ClientAuthentication) == ClientAuthenticationStyle.ClientSecretJwt && string.IsNullOrEmpty(options.ClientSecret))
        {
            errors.Add("ClientSecret is required by ClientAuthentication ClientSecretJwt, which signs each client assertion with it (HS256): set it, or choose another ClientAuthentication (a public client sends only its id).");
        }
    });

    /// <summary>Returns every problem with <paramref name="options"/>; empty when they are valid.</summary>
    /// <param name="options">The options to check.</param>
    /// <returns>One sentence per problem, each naming the option and how to fix it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public IReadOnlyList<string> Validate(OAuth2ClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
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

        ValidateTokenEndpoint(options, errors);
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("ClientId is required: set it to the client id the authorization server issued.");
        }

        _grantRules(options, errors);
        ValidateTimings(options, errors);
        if (options.ClientAuthentication is { } auth && !Enum.IsDefined(auth))
        {
            errors.Add($"ClientAuthentication '{auth}' is not a known style: use {string.Join(", ", Enum.GetNames<ClientAuthenticationStyle>())}.");
        }
        else
        {
            ValidateClientAuthentication(options, options.ClientAuthentication ?? options.Profile.ClientAuthentication, errors);
        }

        if (options.MaxTokenParameterSets is < 0 or > OAuth2Defaults.MaxTokenParameterSetsAllowed)
        {
            errors.Add($"MaxTokenParameterSets must be between 0 and {OAuth2Defaults.MaxTokenParameterSetsAllowed} (it is {options.MaxTokenParameterSets}); the default is {OAuth2Defaults.MaxTokenParameterSets}.");
        }

        foreach (string key in options.AdditionalParameters.Keys)
        {
            if (key is "grant_type" or "client_id" or "client_secret" or "client_assertion" or "client_assertion_type")
            {
                errors.Add($"AdditionalParameters must not contain '{key}': it is set by the client itself.");
            }
        }

        return errors;
    }

    /// <summary>Validates and throws when anything is wrong.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    internal void ThrowIfInvalid(OAuth2ClientOptions options)
    {
        IReadOnlyList<string> errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid OAuth2 client options: " + string.Join(" ", errors), nameof(options));
        }
    }

    /// <summary>Whether <paramref name="uri"/> names this machine (<c>localhost</c>, <c>127.0.0.0/8</c>, <c>::1</c>).</summary>
    internal static bool IsLoopback(Uri uri)
        => uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out IPAddress? address) && IPAddress.IsLoopback(address));

    private static bool UsesSecret(ClientAuthenticationStyle style)
        => style is ClientAuthenticationStyle.BasicHeader or ClientAuthenticationStyle.BasicHeaderRaw
            or ClientAuthenticationStyle.RequestBody or ClientAuthenticationStyle.ClientSecretJwt;

    /// <summary>What the configured client authentication needs, and key options that would otherwise be silently ignored.</summary>
    private static void ValidateClientAuthentication(OAuth2ClientOptions options, ClientAuthenticationStyle style, List<string> errors)
    {
        var keySources = new List<string>();
        AddIf(keySources, options.SigningCertificate is not null, nameof(options.SigningCertificate));
        AddIf(keySources, !string.IsNullOrWhiteSpace(options.SigningKeyFile), nameof(options.SigningKeyFile));
        AddIf(keySources, !string.IsNullOrWhiteSpace(options.SigningKeyPem), nameof(options.SigningKeyPem));
        AddIf(keySources, !string.IsNullOrWhiteSpace(options.SigningKeyJwk), nameof(options.SigningKeyJwk));
        AddIf(keySources, options.ClientAssertionProvider is not null, nameof(options.ClientAssertionProvider));
        bool assertion = style is ClientAuthenticationStyle.PrivateKeyJwt or ClientAuthenticationStyle.ClientSecretJwt;

        if (style != ClientAuthenticationStyle.PrivateKeyJwt && keySources.Count > 0)
        {
            errors.Add($"{string.Join(" and ", keySources)} {(keySources.Count == 1 ? "is" : "are")} set, but ClientAuthentication is {style}, which does not use a signing key: set ClientAuthentication to PrivateKeyJwt, or remove {(keySources.Count == 1 ? "it" : "them")}.");
        }

        if (assertion && (options.RequestFormat ?? options.Profile.RequestFormat) == TokenRequestFormat.Json)
        {
            errors.Add($"ClientAuthentication {style} sends a client assertion, which RFC 7523 defines as form parameters, but the request body is JSON (the '{options.Profile.Name}' profile or RequestFormat): use RequestFormat Form, or a Basic style (the vendor servers document Basic only).");
        }

        if (assertion)
        {
            CheckRange(errors, nameof(options.ClientAssertionLifetime), options.ClientAssertionLifetime, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), OAuth2Defaults.ClientAssertionLifetime);
            if (options.ClientAssertionAudience is { } audience && string.IsNullOrWhiteSpace(audience))
            {
                errors.Add("ClientAssertionAudience must not be blank: leave it null for the token endpoint's URL, or set the server's issuer identifier.");
            }
        }

        if (options.ClientCertificate is { HasPrivateKey: false } certificate)
        {
            errors.Add($"ClientCertificate '{certificate.Subject}' has no private key, so TLS cannot present it: load it with its key (a PFX, or a PEM certificate with its key).");
        }

        switch (style)
        {
            case ClientAuthenticationStyle.PrivateKeyJwt:
                ValidatePrivateKeyJwt(options, keySources, errors);
                break;
            case ClientAuthenticationStyle.ClientSecretJwt:
                if (options.SigningAlgorithm is { } algorithm && !string.Equals(algorithm.Trim(), AssertionSigningKey.HS256, StringComparison.Ordinal))
                {
                    errors.Add($"SigningAlgorithm '{algorithm}' does not fit ClientAuthentication ClientSecretJwt, which signs with HS256: leave SigningAlgorithm unset.");
                }

                // A missing secret is each grant's rule (the client-credentials grant names it already).
                if (!string.IsNullOrEmpty(options.ClientSecret))
                {
                    TryLoadKey(options, style, "ClientSecret", errors);
                }

                break;
            default:
                break;
        }
    }

    private static void ValidatePrivateKeyJwt(OAuth2ClientOptions options, List<string> keySources, List<string> errors)
    {
        if (keySources.Count == 0)
        {
            errors.Add("ClientAuthentication is PrivateKeyJwt, which signs each token request with the client's private key: set one of SigningCertificate, SigningKeyFile (a PEM file), SigningKeyPem, SigningKeyJwk, or ClientAssertionProvider (a key in a KMS or HSM).");
            return;
        }

        if (keySources.Count > 1)
        {
            errors.Add($"ClientAuthentication PrivateKeyJwt takes one signing key, but {string.Join(", ", keySources)} are all set: keep one.");
            return;
        }

        if (options.SigningAlgorithm is { } algorithm && Array.IndexOf(AssertionSigningKey.AsymmetricAlgorithms, algorithm.Trim()) < 0)
        {
            errors.Add($"SigningAlgorithm '{algorithm}' is not supported for PrivateKeyJwt: use {string.Join(", ", AssertionSigningKey.AsymmetricAlgorithms)} (or leave it unset: RS256 for RSA keys, ES256 for ECDSA keys).");
            return;
        }

        if (options.ClientAssertionProvider is null)
        {
            string source = keySources[0] == nameof(options.SigningKeyFile) ? $"SigningKeyFile '{options.SigningKeyFile}'" : keySources[0];
            TryLoadKey(options, ClientAuthenticationStyle.PrivateKeyJwt, source, errors);
        }
    }

    /// <summary>Loads the key as the client will, so a bad key fails at start with a message that quotes no key material.</summary>
    private static void TryLoadKey(OAuth2ClientOptions options, ClientAuthenticationStyle style, string source, List<string> errors)
    {
        try
        {
            ClientAssertionSource.LoadKey(options, style)?.Dispose();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            string reason = ex is CryptographicException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            errors.Add($"{source} cannot be used for ClientAuthentication {style}: {reason}.");
        }
    }

    private static void AddIf(List<string> list, bool condition, string item)
    {
        if (condition)
        {
            list.Add(item);
        }
    }

    private static void ValidateTimings(OAuth2ClientOptions options, List<string> errors)
    {
        TimeSpan oneDay = TimeSpan.FromDays(1);
        CheckRange(errors, nameof(options.RefreshBeforeExpiry), options.RefreshBeforeExpiry, TimeSpan.Zero, oneDay, OAuth2Defaults.RefreshBeforeExpiry);
        if (options.DefaultTokenLifetime is { } lifetime)
        {
            CheckRange(errors, nameof(options.DefaultTokenLifetime), lifetime, TimeSpan.FromSeconds(1), OAuth2Defaults.MaxTokenLifetime, null);
        }

        if (options.MaxTokenRequestRetries is < 0 or > OAuth2Defaults.MaxRetriesAllowed)
        {
            errors.Add($"MaxTokenRequestRetries must be between 0 and {OAuth2Defaults.MaxRetriesAllowed} (it is {options.MaxTokenRequestRetries}).");
        }

        if (options.MaxRequestBodyBufferSize is < 0 or > Http.RequestContentBuffering.MaxBufferSizeAllowed)
        {
            errors.Add($"MaxRequestBodyBufferSize must be between 0 and {Http.RequestContentBuffering.MaxBufferSizeAllowed} bytes (it is {options.MaxRequestBodyBufferSize}); the default is {Http.RequestContentBuffering.DefaultMaxBufferSize}.");
        }

        // Polly's own limits: a timeout of 10 ms to 1 day, a retry delay of at most 1 day.
        CheckRange(errors, nameof(options.TokenRequestRetryDelay), options.TokenRequestRetryDelay, TimeSpan.Zero, oneDay, OAuth2Defaults.TokenRequestRetryDelay);
        CheckRange(errors, nameof(options.TokenRequestTimeout), options.TokenRequestTimeout, TimeSpan.FromMilliseconds(10), oneDay, OAuth2Defaults.TokenRequestTimeout);
        CheckRange(errors, nameof(options.FailureCooldown), options.FailureCooldown, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), OAuth2Defaults.FailureCooldown);
        CheckRange(errors, nameof(options.MaxFailureCooldown), options.MaxFailureCooldown, options.FailureCooldown > TimeSpan.Zero ? options.FailureCooldown : TimeSpan.Zero, oneDay, OAuth2Defaults.MaxFailureCooldown);
        CheckRange(errors, nameof(options.MinTokenAgeForRenewal), options.MinTokenAgeForRenewal, TimeSpan.Zero, TimeSpan.FromHours(1), OAuth2Defaults.MinTokenAgeForRenewal);
    }

    private static void CheckRange(List<string> errors, string option, TimeSpan value, TimeSpan min, TimeSpan max, TimeSpan? defaultValue)
    {
        if (value < min || value > max)
        {
            string problem = value < TimeSpan.Zero && min == TimeSpan.Zero
                ? $"{option} must not be negative (it is {value})"
                : $"{option} must be between {min} and {max} (it is {value})";
            errors.Add(defaultValue is { } d ? $"{problem}; the default is {d}." : problem + ".");
        }
    }

    private static void ValidateTokenEndpoint(OAuth2ClientOptions options, List<string> errors)
    {
        TokenEndpointProfile profile = options.Profile;
        if (options.TokenEndpoint is null && options.ServerAddress is null)
        {
            errors.Add(profile.TokenPath is null
                ? "TokenEndpoint is required: set it to the absolute URL of the token endpoint, for example https://login.example.com/oauth2/token."
                : $"TokenEndpoint or ServerAddress is required: set ServerAddress to the server's base URL (the '{profile.Name}' profile adds '{profile.TokenPath}'), or TokenEndpoint to the full URL.");
            return;
        }

        if (options.TokenEndpoint is { IsAbsoluteUri: false })
        {
            errors.Add($"TokenEndpoint must be an absolute URI (it is '{Redaction.RedactUri(options.TokenEndpoint)}'): include the scheme and host, for example https://login.example.com/oauth2/token.");
            return;
        }

        if (options.TokenEndpoint is null && options.ServerAddress is { IsAbsoluteUri: false })
        {
            errors.Add($"ServerAddress must be an absolute URI (it is '{Redaction.RedactUri(options.ServerAddress)}'): include the scheme and host, for example https://erp.example.com.");
            return;
        }

        if (options.TokenEndpoint is null && profile.TokenPath is null)
        {
            errors.Add($"The '{profile.Name}' profile has no token path, so ServerAddress alone is not enough: set TokenEndpoint to the full URL.");
            return;
        }

        if (options.TokenEndpoint is null
            && profile.TokenPath!.Contains(TokenEndpointProfile.SchemaPlaceholder, StringComparison.Ordinal)
            && string.IsNullOrWhiteSpace(options.Schema))
        {
            errors.Add($"Schema is required by the '{profile.Name}' profile (token path '{profile.TokenPath}'): set it to the schema's URL alias, for example 'hr'.");
            return;
        }

        CheckScheme(ClientSettings.ResolveTokenEndpoint(options), options.AllowInsecureHttp, "TokenEndpoint", "which would send the client secret in clear text", errors);
    }

    private static void ValidateAuthorizationEndpoint(OAuth2ClientOptions options, List<string> errors)
    {
        if (options.AuthorizationEndpoint is { IsAbsoluteUri: false })
        {
            errors.Add($"AuthorizationEndpoint must be an absolute URI (it is '{Redaction.RedactUri(options.AuthorizationEndpoint)}'): include the scheme and host, for example https://login.example.com/oauth2/authorize.");
            return;
        }

        if (ClientSettings.ResolveAuthorizationEndpoint(options) is not { } endpoint)
        {
            errors.Add(options.Profile.AuthorizePath is null
                ? $"AuthorizationEndpoint is required for the authorization-code grant (the '{options.Profile.Name}' profile has no authorize path): set it to the absolute URL of the authorization endpoint, for example https://login.example.com/oauth2/authorize."
                : $"AuthorizationEndpoint or ServerAddress is required for the authorization-code grant: set ServerAddress (the '{options.Profile.Name}' profile adds '{options.Profile.AuthorizePath}'), or AuthorizationEndpoint to the full URL.");
            return;
        }

        CheckScheme(endpoint, options.AllowInsecureHttp, "AuthorizationEndpoint", "where the user's sign-in could be read or altered", errors);
    }

    private static void CheckScheme(Uri endpoint, bool allowInsecureHttp, string option, string risk, List<string> errors)
    {
        if (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp)
        {
            errors.Add($"{option} must use https (it is '{Redaction.RedactUri(endpoint)}').");
        }
        else if (endpoint.Scheme == Uri.UriSchemeHttp && !allowInsecureHttp && !IsLoopback(endpoint))
        {
            errors.Add($"{option} '{Redaction.RedactUri(endpoint)}' uses plain http on a host that is not loopback, {risk}: use https, or set AllowInsecureHttp to true if you accept that risk.");
        }
    }
}
