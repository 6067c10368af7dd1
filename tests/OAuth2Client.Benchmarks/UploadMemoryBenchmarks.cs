using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OAuth2Client.Benchmarks.Infrastructure;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Hardening goal: a large upload whose body cannot be read twice (a non-seekable stream of <see cref="UploadMiB"/> MiB)
/// must cost about the same memory through <see cref="BearerTokenHandler"/> as without it. Each invocation POSTs the
/// whole body to a loopback sink that reads and discards it; the <c>Allocated</c> column (BenchmarkDotNet's memory
/// diagnoser, every thread of the process, the sink included) is the figure: the two rows must differ by a few MiB at
/// most. The generator stream reuses one 64 KiB buffer, so the body itself allocates nothing.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class UploadMemoryBenchmarks
{
    private const int UploadMiB = 256;

    private WebApplication _sink = null!;
    private Uri _address = null!;
    private HttpClient _plain = null!;
    private HttpClient _withHandler = null!;
    private ClientCredentialsTokenProvider _provider = null!;

    [GlobalSetup]
    public void Setup()
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddLogging(l => l.ClearProviders());
        _sink = builder.Build();
        _sink.Run(async context =>
        {
            byte[] buffer = new byte[64 * 1024];
            while (await context.Request.Body.ReadAsync(buffer) > 0)
            {
            }

            context.Response.StatusCode = StatusCodes.Status204NoContent;
        });
        _sink.StartAsync().GetAwaiter().GetResult();
        _address = new Uri(_sink.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        _provider = TokenServer.StartWarmProvider(out _);
        _plain = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _withHandler = new HttpClient(new BearerTokenHandler(_provider) { InnerHandler = new SocketsHttpHandler() }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _withHandler.Dispose();
        _provider.Dispose();
        _sink.StopAsync().GetAwaiter().GetResult();
        _sink.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true, Description = "256 MiB non-seekable upload, plain HttpClient")]
    public Task WithoutHandler() => UploadAsync(_plain);

    [Benchmark(Description = "256 MiB non-seekable upload, through BearerTokenHandler")]
    public Task ThroughHandler() => UploadAsync(_withHandler);

    private async Task UploadAsync(HttpClient client)
    {
        using var content = new StreamContent(new GeneratedStream(UploadMiB * 1024L * 1024L), 64 * 1024);
        using HttpResponseMessage response = await client.PostAsync(_address, content).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"The sink answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>A forward-only stream of <c>length</c> bytes that allocates nothing while read.</summary>
    private sealed class GeneratedStream(long length) : Stream
    {
        private long _remaining = length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = (int)Math.Min(buffer.Length, _remaining);
            buffer[..n].Fill((byte)'x');
            _remaining -= n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
