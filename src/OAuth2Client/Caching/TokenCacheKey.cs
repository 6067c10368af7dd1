using System.Security.Cryptography;
using System.Text;
using OAuth2Client.Settings;

namespace OAuth2Client.Caching;

/// <summary>
/// The key a token is shared under: a hash of everything that changes which token the server issues (grant, endpoint
/// with its query, client id, secret or signing key or client certificate, authentication style, scope, extra
/// parameters, and a request's own token parameters). Each part is length-prefixed
/// before hashing, so no two different settings can produce the same input, and the key holds nothing in clear.
/// </summary>
internal static class TokenCacheKey
{
    private const string Prefix = "oauth2client:token:v2:";

    /// <param name="grant">The grant type.</param>
    /// <param name="settings">The client's settings.</param>
    /// <param name="parameters">Per-request token parameters; <see langword="null"/> (the client's default token) adds nothing, so default keys never change.</param>
    public static string Create(string grant, ClientSettings settings, OAuth2TokenParameters? parameters = null)
    {
        var parts = new List<string?>
        {
            grant,
            settings.TokenEndpoint.AbsoluteUri,
            settings.ClientId,
            settings.ClientSecret,
            settings.ClientAuthentication.ToString(),
            settings.Scope,

            // The request's shape: two profiles that ask differently may be answered differently.
            settings.ScopeParameterName,
            settings.RequestFormat.ToString(),
            settings.SendGrantType ? "grant_type" : "no grant_type",
            settings.SendClientIdInBody ? "client_id in body" : "client_id not in body",
        };
        foreach (KeyValuePair<string, string> parameter in settings.AdditionalParameters)
        {
            parts.Add(parameter.Key);
            parts.Add(parameter.Value);
        }

        // Who the client proves to be without a secret: the signing key's public thumbprint, the TLS client
        // certificate's. Added only when present, so the keys of secret-based clients do not change.
        if (settings.SigningKey?.PublicKeyThumbprint is { } signingKey)
        {
            parts.Add("signing key");
            parts.Add(signingKey);
        }

        if (settings.ClientCertificate is { } certificate)
        {
            parts.Add("client certificate");
            parts.Add(certificate.GetCertHashString(HashAlgorithmName.SHA256));
        }

        if (parameters is not null)
        {
            parts.Add("per-request parameters");
            parts.Add(parameters.Scope);
            parts.Add(parameters.Resource);
            parts.Add(parameters.Audience);
        }

        return Prefix + Hash(parts);
    }

    /// <summary>SHA-256 over each part as (length, UTF-8 bytes); <see langword="null"/> is length -1, distinct from empty.</summary>
    internal static string Hash(IEnumerable<string?> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (string? part in parts)
        {
            byte[] bytes = part is null ? [] : Encoding.UTF8.GetBytes(part);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, part is null ? -1 : bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
