using System.Security.Cryptography;
using System.Text;

namespace OAuth2Client.Testing;

/// <summary>A request as the emulated server saw it, byte for byte.</summary>
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
}

/// <summary>A canned answer from the token endpoint, for fault injection.</summary>
/// <param name="StatusCode">Status code.</param>
/// <param name="ContentType">Content-Type, or null for none.</param>
/// <param name="Body">Body text.</param>
public sealed record TokenReply(int StatusCode, string? ContentType, string Body)
{
    /// <summary>Extra response headers (for example Retry-After).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Raw body bytes, sent instead of <see cref="Body"/> when set (for invalid encodings).</summary>
    public byte[]? BodyBytes { get; init; }

    /// <summary>A JSON reply.</summary>
    public static TokenReply Json(int status, string body) => new(status, "application/json", body);
}
