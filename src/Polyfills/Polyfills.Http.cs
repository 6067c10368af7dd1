// Compiled for netstandard2.0 only (see Directory.Build.targets). netstandard2.0's HttpContent takes no cancellation token:
// these wait cancellably (the caller is released at once, and disposes the stream or request, which ends the transfer).
using System.Net.Http.Headers;

namespace System.Net.Http;

[Microsoft.CodeAnalysis.Embedded]
internal static class HttpPolyfills
{
    extension(HttpContent content)
    {
        public Task CopyToAsync(IO.Stream stream, CancellationToken cancellationToken)
            => content.CopyToAsync(stream).WaitAsync(cancellationToken);

        public Task<IO.Stream> ReadAsStreamAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return content.ReadAsStreamAsync().WaitAsync(cancellationToken);
        }
    }

    extension(HttpHeaders headers)
    {
        /// <summary>netstandard2.0 headers have no non-validating view: <c>Contains</c> on them does not parse either.</summary>
        public HttpHeaders NonValidated => headers;
    }

    extension(IO.Stream stream)
    {
        /// <summary><c>await using (stream.ConfigureAwait(false))</c>: netstandard2.0 streams are not IAsyncDisposable.</summary>
        public Runtime.CompilerServices.ConfiguredAsyncDisposable ConfigureAwait(bool continueOnCapturedContext)
            => new AsyncDisposableStream(stream).ConfigureAwait(continueOnCapturedContext);
    }

    private sealed class AsyncDisposableStream(IO.Stream stream) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            stream.Dispose();
            return default;
        }
    }
}
