// Compiled for netstandard2.0 only (see Directory.Build.targets). Delays, timeouts and waits go through
// Microsoft.Bcl.TimeProvider's TimeProviderTaskExtensions, so a fake TimeProvider drives them as on .NET 8+.
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace System.Threading.Tasks;

[Microsoft.CodeAnalysis.Embedded]
internal static class ThreadingPolyfills
{
    extension(ValueTask)
    {
        public static ValueTask CompletedTask => default;

        public static ValueTask<TResult> FromResult<TResult>(TResult result) => new(result);

        public static ValueTask<TResult> FromException<TResult>(Exception exception) => new(Task.FromException<TResult>(exception));
    }

    extension(Task task)
    {
        public bool IsCompletedSuccessfully => task.Status == TaskStatus.RanToCompletion;

        /// <summary>Completes when <paramref name="task"/> does, or cancels when <paramref name="cancellationToken"/> does.</summary>
        public Task WaitAsync(CancellationToken cancellationToken)
            => task.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
    }

    extension<TResult>(Task<TResult> task)
    {
        public Task<TResult> WaitAsync(CancellationToken cancellationToken)
            => task.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancellationToken);
    }

    extension(Task)
    {
        public static Task Delay(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
            => timeProvider.Delay(delay, cancellationToken);
    }

    extension(CancellationTokenSource source)
    {
        public Task CancelAsync()
        {
            source.Cancel();
            return Task.CompletedTask;
        }
    }

    extension(TcpListener listener)
    {
        /// <summary>Accepts a connection; cancelling stops waiting (the caller stops the listener afterwards).</summary>
        public Task<TcpClient> AcceptTcpClientAsync(CancellationToken cancellationToken)
            => listener.AcceptTcpClientAsync().WaitAsync(cancellationToken);
    }

    extension(Stopwatch)
    {
        public static TimeSpan GetElapsedTime(long startingTimestamp)
            => TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - startingTimestamp) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
    }

    extension(IO.Stream stream)
    {
        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment))
            {
                // WaitAsync: a .NET Framework network stream may ignore the token; the caller disposes it when released.
                return await stream.ReadAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            byte[] copy = new byte[buffer.Length];
            int read = await stream.ReadAsync(copy, 0, copy.Length, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            copy.AsSpan(0, read).CopyTo(buffer.Span);
            return read;
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
            => MemoryMarshal.TryGetArray(buffer, out ArraySegment<byte> segment)
                ? new ValueTask(stream.WriteAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken))
                : new ValueTask(stream.WriteAsync(buffer.ToArray(), 0, buffer.Length, cancellationToken));
    }
}
