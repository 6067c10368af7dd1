namespace OAuth2Client.Http;

/// <summary>
/// Makes a request body sendable twice, so that the retry after a 401 carries exactly the same bytes: bodies that
/// re-serialize are left alone; anything else is buffered before the first send.
/// </summary>
internal static class RequestContentBuffering
{
    public static Task BufferAsync(HttpContent content, CancellationToken cancellationToken)
#if NET9_0_OR_GREATER
        => content.LoadIntoBufferAsync(cancellationToken);
#else
        => cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : content.LoadIntoBufferAsync();
#endif

    /// <summary>
    /// Whether the body must be buffered to be sent twice. Byte-array, string and form bodies re-serialize. A stream body
    /// re-reads only when its stream can seek: with no Content-Length set by the caller, the length StreamContent computes
    /// tells (it computes one only for a seekable stream); a caller-set Content-Length proves nothing, so that body is
    /// buffered, as is any other kind of content.
    /// </summary>
    public static bool NeedsBuffering(HttpContent? content) => content switch
    {
        null or ByteArrayContent or ReadOnlyMemoryContent => false,
        MultipartContent multipart => multipart.Any(NeedsBuffering),
        StreamContent => content.Headers.NonValidated.Contains("Content-Length") || content.Headers.ContentLength is null,
        _ => true,
    };
}
