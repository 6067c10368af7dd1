using System.Security.Cryptography;
using OAuth2Client.Settings;

namespace OAuth2Client.ClientAuthentication;

/// <summary>
/// Makes the client assertion of one token request attempt (<c>private_key_jwt</c> or <c>client_secret_jwt</c>): signed
/// here with the configured key, or asked of the app's <see cref="IClientAssertionProvider"/>. Every call makes a new
/// one (new <c>jti</c>, <c>iat</c> from the clock), so a retry is never a replay.
/// </summary>
internal sealed class ClientAssertionSource
{
    private readonly ClientSettings _settings;
    private readonly TimeProvider _timeProvider;

    private ClientAssertionSource(ClientSettings settings, TimeProvider timeProvider)
    {
        _settings = settings;
        _timeProvider = timeProvider;
    }

    /// <summary>The source for <paramref name="settings"/>, or <see langword="null"/> when the client sends no assertion.</summary>
    public static ClientAssertionSource? Create(ClientSettings settings, TimeProvider timeProvider)
        => settings.ClientAuthentication is ClientAuthenticationStyle.PrivateKeyJwt or ClientAuthenticationStyle.ClientSecretJwt
            ? new ClientAssertionSource(settings, timeProvider)
            : null;

    /// <summary>Loads the key options name for <paramref name="style"/>, or <see langword="null"/> when the style signs nothing here (an assertion provider, or no assertion).</summary>
    /// <exception cref="CryptographicException">The key cannot be used; the message names no key material.</exception>
    /// <exception cref="IOException">The key file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The key file cannot be read.</exception>
    public static AssertionSigningKey? LoadKey(OAuth2ClientOptions options, ClientAuthenticationStyle style)
    {
        string? algorithm = string.IsNullOrWhiteSpace(options.SigningAlgorithm) ? null : options.SigningAlgorithm.Trim();
        string? keyId = string.IsNullOrWhiteSpace(options.SigningKeyId) ? null : options.SigningKeyId;
        if (style == ClientAuthenticationStyle.ClientSecretJwt)
        {
            return string.IsNullOrEmpty(options.ClientSecret) ? null : AssertionSigningKey.ForSecret(options.ClientSecret);
        }

        if (style != ClientAuthenticationStyle.PrivateKeyJwt || options.ClientAssertionProvider is not null)
        {
            return null;
        }

        if (options.SigningCertificate is { } certificate)
        {
            return AssertionSigningKey.FromCertificate(certificate, algorithm, keyId, options.SendCertificateThumbprint);
        }

        if (!string.IsNullOrWhiteSpace(options.SigningKeyFile))
        {
            return AssertionSigningKey.FromPem(File.ReadAllText(options.SigningKeyFile), algorithm, keyId);
        }

        if (!string.IsNullOrWhiteSpace(options.SigningKeyPem))
        {
            return AssertionSigningKey.FromPem(options.SigningKeyPem, algorithm, keyId);
        }

        return string.IsNullOrWhiteSpace(options.SigningKeyJwk) ? null : AssertionSigningKey.FromJwk(options.SigningKeyJwk, algorithm, keyId);
    }

    /// <summary>A new assertion for one attempt.</summary>
    /// <exception cref="OAuth2TokenException">The app's provider returned no assertion.</exception>
    public async ValueTask<string> CreateAsync(CancellationToken cancellationToken)
    {
        var context = new ClientAssertionContext(
            _settings.ClientId,
            _settings.ClientAssertionAudience,
            _settings.TokenEndpoint,
            _timeProvider.GetUtcNow(),
            _settings.ClientAssertionLifetime,
            _settings.ClientAssertionIncludeNotBefore);
        if (_settings.ClientAssertionProvider is not { } provider)
        {
            return ClientAssertionJwt.Sign(_settings.SigningKey!, context);
        }

        string assertion = await provider.CreateAssertionAsync(context, cancellationToken).ConfigureAwait(false);
        return string.IsNullOrWhiteSpace(assertion)
            ? throw new OAuth2TokenException($"The client assertion provider {provider.GetType().Name} returned no assertion for client '{_settings.ClientId}'.")
            : assertion;
    }
}
