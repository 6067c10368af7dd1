using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Http;

/// <summary>
/// Bodies that cannot be read twice: kept in memory only up to <see cref="BearerTokenHandler.MaxRequestBodyBufferSize"/>,
/// read through a cancellable path, and never replayed unless every byte was kept.
/// </summary>
public sealed class RequestBodyReplayTests
{
    private const int Limit = 64 * 1024;

    [Theory]
    [InlineData(false)]
#if !NETSTANDARD_BUILD_UNDER_TEST // Synchronous HttpClient.Send: netstandard2.0 has no HttpMessageHandler.Send to override.
    [InlineData(true)]
#endif
    public async Task Send_NonSeekableBodyLargerThanLimit_StreamedOnceAnd401ReturnedAfterRenewal(bool synchronous)
    {
        await using Harness h = await Harness.StartAsync();
        h.Handler.MaxRequestBodyBufferSize = Limit;
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RevokeAllTokens();
        byte[] payload = RandomNumberGenerator.GetBytes(4 * Limit);
        using var request = new HttpRequestMessage(HttpMethod.Post, "uploads") { Content = new StreamContent(new NonSeekableStream(payload)) };

        using HttpResponseMessage response = synchronous ? h.Api.Send(request) : await h.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        RecordedRequest post = Assert.Single(h.Server.ApiRequests, r => r.Method == "POST");
        Assert.Equal(Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant(), post.BodySha256);
        Assert.Equal(2, h.Server.TokenRequestCount); // renewed, so the caller's own retry succeeds
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.UnauthorizedBodyNotReplayed);
        Assert.IsType<StreamContent>(request.Content); // the caller's content is back on the request

        using HttpResponseMessage again = await h.Api.PostAsync("uploads", new ByteArrayContent(payload));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
#if !NETSTANDARD_BUILD_UNDER_TEST // Synchronous HttpClient.Send: netstandard2.0 has no HttpMessageHandler.Send to override.
    [InlineData(true, false)]
#endif
    public async Task Send_NonSeekableBodyWithinLimit_ReplayedWithIdenticalBytes(bool synchronous, bool withContentLength)
    {
        await using Harness h = await Harness.StartAsync();
        h.Handler.MaxRequestBodyBufferSize = Limit;
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RevokeAllTokens();
        byte[] payload = RandomNumberGenerator.GetBytes(Limit); // exactly the limit
        var content = new StreamContent(new NonSeekableStream(payload));
        if (withContentLength)
        {
            content.Headers.ContentLength = payload.Length;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "uploads") { Content = content };

        using HttpResponseMessage response = synchronous ? h.Api.Send(request) : await h.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        RecordedRequest[] posts = h.Server.ApiRequests.Where(r => r.Method == "POST").ToArray();
        Assert.Equal(2, posts.Length);
        Assert.All(posts, p => Assert.Equal(Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant(), p.BodySha256));
    }

    [Fact]
    public async Task Send_LimitZero_NeverKeepsSuchBodies()
    {
        await using Harness h = await Harness.StartAsync();
        h.Handler.MaxRequestBodyBufferSize = 0;
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RevokeAllTokens();
        using HttpResponseMessage response = await h.Api.PostAsync("uploads", new StreamContent(new NonSeekableStream([1, 2, 3])));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(h.Server.ApiRequests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Send_ContentLengthShorterThanBody_RefusedWithoutReadingPastTheLimit()
    {
        await using Harness h = await Harness.StartAsync();
        h.Handler.MaxRequestBodyBufferSize = Limit;
        var stream = new NonSeekableStream(new byte[16 * Limit]);
        var content = new StreamContent(stream, bufferSize: 4096) { Headers = { ContentLength = 10 } };

        await Assert.ThrowsAsync<HttpRequestException>(() => h.Api.PostAsync("uploads", content));

        Assert.Equal(1, stream.ReadCount); // stopped at the first chunk past the declared length
        Assert.DoesNotContain(h.Server.ApiRequests, r => r.Method == "POST");
    }

    /// <summary>
    /// A producer that stalls must not hang the request: the caller's token stops it, on every target (the net8.0
    /// build used to buffer through a path that ignored the token).
    /// </summary>
    [Fact]
    public async Task SendAsync_StalledProducer_CallerCancellationEndsTheRequest()
    {
        await using Harness h = await Harness.StartAsync();
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[] { 1, 2, 3 });
        using var cts = new CancellationTokenSource();
        var reads = new ReadSignallingStream(pipe.Reader.AsStream());

        Task<HttpResponseMessage> sending = h.Api.PostAsync("uploads", new StreamContent(reads), cts.Token);
        await reads.StalledRead.WaitAsync(TimeSpan.FromSeconds(30)); // the producer has nothing more to give
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(30)));
        await pipe.Writer.CompleteAsync();
    }

    [Fact]
    public async Task SendAsync_StalledProducer_HttpClientTimeoutEndsTheRequest()
    {
        await using Harness h = await Harness.StartAsync();
        using var api = new HttpClient(h.Handler, disposeHandler: false) { BaseAddress = h.Server.ApiAddress, Timeout = TimeSpan.FromMilliseconds(300) };
        var pipe = new Pipe();
        var reads = new ReadSignallingStream(pipe.Reader.AsStream());

        Task<HttpResponseMessage> sending = api.PostAsync("uploads", new StreamContent(reads));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(reads.StalledRead.IsCompleted);
        await pipe.Writer.CompleteAsync();
    }

    [Fact]
    public void MaxRequestBodyBufferSize_OutOfRange_Throws()
    {
        using var handler = new BearerTokenHandler(new OAuth2ClientOptions { TokenEndpoint = new Uri("https://login.example.com/token"), ClientId = "a", ClientSecret = "b" });
        Assert.Equal(1024 * 1024, handler.MaxRequestBodyBufferSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => handler.MaxRequestBodyBufferSize = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => handler.MaxRequestBodyBufferSize = (long)int.MaxValue + 1);
    }

    [Fact]
    public void Options_MaxRequestBodyBufferSizeOutOfRange_ValidationNamesTheOption()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("https://login.example.com/token"), ClientId = "a", ClientSecret = "b", MaxRequestBodyBufferSize = -5 };

        string error = Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));

        Assert.Contains("MaxRequestBodyBufferSize must be between 0 and 2147483647", error, StringComparison.Ordinal);
    }

    /// <summary>Completes <see cref="StalledRead"/> when a read finds no data ready (the producer stalls).</summary>
    private sealed class ReadSignallingStream(Stream inner) : Stream
    {
        private readonly TaskCompletionSource _stalled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task StalledRead => _stalled.Task;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ValueTask<int> read = inner.ReadAsync(buffer, cancellationToken);
            if (!read.IsCompleted)
            {
                _stalled.TrySetResult();
            }

            return await read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
