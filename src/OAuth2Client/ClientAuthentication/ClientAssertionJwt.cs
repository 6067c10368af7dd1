using System.Text;
using System.Text.Json;

namespace OAuth2Client.ClientAuthentication;

/// <summary>
/// The JWT of a client assertion (RFC 7523 §3): header and claims as JSON, base64url-encoded, ready to sign. Pure but
/// for the random <c>jti</c>; the time comes from the context.
/// </summary>
internal static class ClientAssertionJwt
{
    /// <summary>The <c>client_assertion_type</c> of a JWT assertion (RFC 7523 §2.2).</summary>
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>Bytes of randomness in each <c>jti</c> (128 bits).</summary>
    private const int JtiBytes = 16;

    public static string CreateSigningInput(string algorithm, string? keyId, string? certificateThumbprint, ClientAssertionContext context)
    {
        byte[] header = Json(writer =>
        {
            writer.WriteString("alg", algorithm);
            writer.WriteString("typ", "JWT");
            if (keyId is not null)
            {
                writer.WriteString("kid", keyId);
            }

            if (certificateThumbprint is not null)
            {
                writer.WriteString("x5t#S256", certificateThumbprint);
            }
        });

        long issuedAt = context.IssuedAt.ToUnixTimeSeconds();
        byte[] claims = Json(writer =>
        {
            writer.WriteString("iss", context.ClientId);
            writer.WriteString("sub", context.ClientId);
            writer.WriteString("aud", context.Audience);
            writer.WriteString("jti", JosePlatform.Base64UrlEncode(JosePlatform.RandomBytes(JtiBytes)));
            writer.WriteNumber("iat", issuedAt);
            if (context.IncludeNotBefore)
            {
                writer.WriteNumber("nbf", issuedAt);
            }

            writer.WriteNumber("exp", issuedAt + (long)Math.Ceiling(context.Lifetime.TotalSeconds));
        });

        return new StringBuilder(JosePlatform.Base64UrlEncode(header))
            .Append('.')
            .Append(JosePlatform.Base64UrlEncode(claims))
            .ToString();
    }

    /// <summary>A signed assertion: signing input, ".", base64url(signature).</summary>
    public static string Sign(AssertionSigningKey key, ClientAssertionContext context)
    {
        string input = CreateSigningInput(key.Algorithm, key.KeyId, key.CertificateThumbprint, context);
        byte[] signature = key.Sign(Encoding.ASCII.GetBytes(input));
        return ClientAssertionContext.AppendSignature(input, signature);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
