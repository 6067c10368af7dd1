using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace OAuth2Client.Testing;

/// <summary>
/// A request as the emulated server saw it, byte for byte. The properties hold the raw values (secrets included, for
/// assertions); <see cref="ToString"/> redacts every credential, so printing a request in test output leaks nothing.
/// </summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path and query.</param>
/// <param name="Authorization">The raw Authorization header, if any.</param>
/// <param name="ContentType">The raw Content-Type header, if any.</param>
/// <param name="Accept">The raw Accept header, if any.</param>
/// <param name="Body">The body bytes.</param>
public sealed record RecordedRequest(string Method, string Path, string? Authorization, string? ContentType, string? Accept, byte[] Body)
{
    /// <summary>Lower-case hex SHA-256 of the body.</summary>
    public string BodySha256 => Hex.Lower(SHA256.HashData(Body));

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The bearer token the request carried, if any.</summary>
    public string? BearerToken => Authorization is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..] : null;

    /// <summary>
    /// Method, path, headers and body with credentials redacted: the Authorization header keeps only its scheme, and the
    /// values of <c>client_secret</c>, <c>client_assertion</c>, <c>assertion</c>, <c>password</c>, <c>code</c>,
    /// <c>code_verifier</c>, <c>refresh_token</c>, <c>access_token</c> and <c>token</c> in a form body, a JSON body or the
    /// query become <c>[redacted]</c>; any other body is shown by its length only.
    /// </summary>
    /// <returns>For example <c>POST /ords/hr/oauth/token (Authorization: Basic [redacted]; Content-Type: application/x-www-form-urlencoded; body: grant_type=client_credentials)</c>.</returns>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Method).Append(' ').Append(RedactedPath());
        var parts = new List<string>();
        if (Authorization is { } authorization)
        {
            int space = authorization.IndexOf(' ', StringComparison.Ordinal);
            parts.Add("Authorization: " + (space > 0 ? authorization[..space] + " " : string.Empty) + Redacted);
        }

        if (ContentType is { } contentType)
        {
            parts.Add("Content-Type: " + contentType);
        }

        if (Accept is { } accept)
        {
            parts.Add("Accept: " + accept);
        }

        if (Body.Length > 0)
        {
            parts.Add("body: " + RedactedBody());
        }

        if (parts.Count > 0)
        {
            text.Append(" (").AppendJoin("; ", parts).Append(')');
        }

        return text.ToString();
    }

    private const string Redacted = "[redacted]";

    private static readonly HashSet<string> SecretFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "client_secret", "client_assertion", "assertion", "password", "code", "code_verifier", "refresh_token", "access_token", "token",
    };

    private string RedactedPath()
    {
        int query = Path.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? Path : Path[..(query + 1)] + RedactForm(Path[(query + 1)..]);
    }

    private string RedactedBody()
    {
        string mediaType = (ContentType ?? string.Empty).Split(';')[0].Trim();
        if (mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return RedactForm(BodyText);
        }

        if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) && RedactJson(Body) is { } json)
        {
            return json;
        }

        return Body.Length.ToString(CultureInfo.InvariantCulture) + " bytes";
    }

    private static string RedactForm(string form)
        => string.Join('&', QueryHelpers.ParseQuery(form).SelectMany(p => p.Value.Select(v =>
            Uri.EscapeDataString(p.Key) + "=" + (SecretFields.Contains(p.Key) ? Redacted : Uri.EscapeDataString(v ?? string.Empty)))));

    private static string? RedactJson(byte[] body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return body.Length.ToString(CultureInfo.InvariantCulture) + " bytes of JSON";
            }

            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (SecretFields.Contains(property.Name))
                    {
                        writer.WriteStringValue(Redacted);
                    }
                    else if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        writer.WriteStringValue("[nested]"); // nested values are not shown: they could hold anything
                    }
                    else
                    {
                        property.Value.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
