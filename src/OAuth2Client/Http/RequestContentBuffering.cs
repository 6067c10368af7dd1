namespace OAuth2Client.Http;

/// <summary>
/// Decides whether a request body must be recorded to be sent twice (the retry after a 401 carries exactly the same
/// bytes). Bodies that re-serialize are left alone; anything else goes through a <see cref="ReplayableContent"/>.
/// </summary>
internal static class RequestContentBuffering
{
    /// <summary>The default of <see cref="OAuth2ClientOptions.MaxRequestBodyBufferSize"/>: 1 MiB.</summary>
    public const long DefaultMaxBufferSize = 1024 * 1024;

    /// <summary>The largest value accepted for the limit: a buffer is one array.</summary>
    public const long MaxBufferSizeAllowed = int.MaxValue;

    /// <summary>
    /// Whether the body must be recorded to be sent twice. Byte-array, string and form bodies re-serialize. A stream body
    /// re-reads only when its stream can seek: with no Content-Length set by the caller, the length StreamContent computes
    /// tells (it computes one only for a seekable stream); a caller-set Content-Length proves nothing, so that body is
    /// recorded, as is any other kind of content.
    /// </summary>
    public static bool NeedsBuffering(HttpContent? content) => content switch
    {
#if NETSTANDARD2_0
        null or ByteArrayContent => false,
#else
        null or ByteArrayContent or ReadOnlyMemoryContent => false,
#endif
        MultipartContent multipart => multipart.Any(NeedsBuffering),
        StreamContent => content.Headers.NonValidated.Contains("Content-Length") || content.Headers.ContentLength is null,
        _ => true,
    };
}
