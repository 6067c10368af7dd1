using System.Net;
using System.Net.Http.Headers;

namespace OAuth2Client.Http;

/// <summary>
/// Stands in for a request body that cannot be read twice, so that the retry after a 401 carries exactly the same
/// bytes, with memory bounded by a limit:
/// <list type="bullet">
/// <item>a body whose length is known and within the limit is read into memory before the first send, through a
/// cancellable path (the caller's token and <see cref="HttpClient.Timeout"/> stop a stalled producer);</item>
/// <item>any other body is streamed to the server once and recorded on the way, up to the limit; it can be sent again
/// only if the first send read it to the end within the limit. A larger body is never held in memory: the 401 that
/// would need it replayed is returned to the caller as it is.</item>
/// </list>
/// The original content is not disposed by this wrapper; the handler puts it back on the request afterwards.
/// </summary>
internal sealed class ReplayableContent : HttpContent
{
    private const int ChunkSize = 16 * 1024;

    private readonly HttpContent _original;
    private readonly long _limit;
    private byte[] _recorded = [];
    private int _length;
    private int _state; // States below; read across threads after a send completes.
    private long _preReadLength = -1; // The Content-Length of a body read before the first send, else -1.
#if NETSTANDARD2_0
    // The send's token: netstandard2.0's transport passes none to SerializeToStreamAsync, and a stalled producer must
    // not hold a cancelled (or timed-out: HttpClient links its timeout in) send.
    private CancellationToken _sendCancellation;
#endif

    private const int NotSent = 0;
    private const int Sending = 1;
    private const int Complete = 2;
    private const int TooLarge = 3;
    private const int Failed = 4;

    private ReplayableContent(HttpContent original, long limit)
    {
        _original = original;
        _limit = limit;
#if NETSTANDARD2_0
        foreach (KeyValuePair<string, IEnumerable<string>> header in original.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (!Headers.Contains("Content-Length") && original.Headers.ContentLength is { } length)
#else
        foreach (KeyValuePair<string, HeaderStringValues> header in original.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (!Headers.NonValidated.Contains("Content-Length") && original.Headers.ContentLength is { } length)
#endif
        {
            Headers.ContentLength = length;
        }
    }

    /// <summary>Whether the body was read to its end within the limit, so it can be sent (again) from memory.</summary>
    public bool CanReplay => Volatile.Read(ref _state) == Complete;

    /// <summary>The body as the caller gave it.</summary>
    public HttpContent Original => _original;

    /// <summary>
    /// Wraps <paramref name="request"/>'s body; when its length is known and within <paramref name="limit"/>, reads it
    /// into memory now (cancellable), so the first send and any retry send the same bytes whatever the server does.
    /// </summary>
    public static async ValueTask<ReplayableContent> WrapAsync(HttpRequestMessage request, long limit, CancellationToken cancellationToken)
    {
        var content = new ReplayableContent(request.Content!, limit);
#if NETSTANDARD2_0
        content._sendCancellation = cancellationToken;
#endif
        if (content.Headers.ContentLength is { } length && length <= limit)
        {
            content._preReadLength = length;
            await content.RecordAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        request.Content = content;
        return content;
    }

#if !NETSTANDARD2_0 // No synchronous send on netstandard2.0.
    /// <summary>The synchronous twin of <see cref="WrapAsync"/>, for <see cref="HttpMessageInvoker.Send"/>.</summary>
    public static ReplayableContent Wrap(HttpRequestMessage request, long limit, CancellationToken cancellationToken)
    {
        var content = new ReplayableContent(request.Content!, limit);
        if (content.Headers.ContentLength is { } length && length <= limit)
        {
            content._preReadLength = length;
            content.Record(Stream.Null, cancellationToken);
        }

        request.Content = content;
        return content;
    }
#endif

    /// <summary>Puts the caller's body back on the request.</summary>
    public void Restore(HttpRequestMessage request)
    {
        if (ReferenceEquals(request.Content, this))
        {
            request.Content = _original;
        }
    }

    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context)
#if NETSTANDARD2_0
        => SerializeToStreamAsync(stream, context, _sendCancellation);
#else
        => SerializeToStreamAsync(stream, context, CancellationToken.None);
#endif

#if NETSTANDARD2_0
    // netstandard2.0 has neither the cancellable nor the synchronous overload: the transport passes no token.
    private Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
#else
    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
#endif
        => Volatile.Read(ref _state) == Complete
            ? stream.WriteAsync(_recorded, 0, _length, cancellationToken)
            : RecordAsync(stream, cancellationToken);

#if !NETSTANDARD2_0
    /// <inheritdoc />
    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) == Complete)
        {
            stream.Write(_recorded, 0, _length);
        }
        else
        {
            Record(stream, cancellationToken);
        }
    }
#endif

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        if (Volatile.Read(ref _state) == Complete)
        {
            length = _length;
            return true;
        }

        length = 0;
        return false;
    }

    private async Task RecordAsync(Stream target, CancellationToken cancellationToken)
    {
        BeginRecording();
        try
        {
            using var tee = new RecordingStream(this, target);
            await _original.CopyToAsync(tee, cancellationToken).ConfigureAwait(false);
            EndRecording();
        }
        catch
        {
            Volatile.Write(ref _state, Failed);
            throw;
        }
    }

#if !NETSTANDARD2_0
    private void Record(Stream target, CancellationToken cancellationToken)
    {
        BeginRecording();
        try
        {
            using var tee = new RecordingStream(this, target);
            _original.CopyTo(tee, null, cancellationToken);
            EndRecording();
        }
        catch
        {
            Volatile.Write(ref _state, Failed);
            throw;
        }
    }
#endif

    private void BeginRecording()
    {
        if (Interlocked.CompareExchange(ref _state, Sending, NotSent) != NotSent)
        {
            throw new InvalidOperationException("The request body was already read once and could not be kept for a second send.");
        }
    }

    private void EndRecording() => Interlocked.CompareExchange(ref _state, Complete, Sending);

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_state != Sending)
        {
            return;
        }

        if (_preReadLength >= 0 && _length + (long)bytes.Length > _preReadLength)
        {
            // The transport would refuse the send for the same reason; stop reading now.
            throw new HttpRequestException($"The request body is longer than its Content-Length header ({_preReadLength} bytes) says.");
        }

        if (_length + (long)bytes.Length > _limit)
        {
            // Too large to keep: let go of what was kept; the rest streams through unrecorded.
            _recorded = [];
            _length = 0;
            _state = TooLarge;
            return;
        }

        int needed = _length + bytes.Length;
        if (needed > _recorded.Length)
        {
            long grown = Math.Max(needed, Math.Max(ChunkSize, (long)_recorded.Length * 2));
            Array.Resize(ref _recorded, (int)Math.Min(grown, _limit));
        }

        bytes.CopyTo(_recorded.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Writes through to the transport (or nowhere, when pre-reading) and records what passes, up to the limit.</summary>
    private sealed class RecordingStream(ReplayableContent owner, Stream target) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush() => target.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => target.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

#if NETSTANDARD2_0
        // netstandard2.0 streams have no span/memory overloads: the array overloads do the work.
        public override void Write(byte[] buffer, int offset, int count)
        {
            owner.Append(buffer.AsSpan(offset, count));
            target.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            owner.Append(buffer.AsSpan(offset, count));
            return target.WriteAsync(buffer, offset, count, cancellationToken);
        }
#else
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            owner.Append(buffer);
            target.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            owner.Append(buffer.Span);
            return target.WriteAsync(buffer, cancellationToken);
        }
#endif
    }
}
