namespace OAuth2Client.Testing;

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
    /// <param name="status">Status code.</param>
    /// <param name="body">The JSON text.</param>
    /// <returns>The reply, with <c>Content-Type: application/json</c>.</returns>
    public static TokenReply Json(int status, string body) => new(status, "application/json", body);
}
