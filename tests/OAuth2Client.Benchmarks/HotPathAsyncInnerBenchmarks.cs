using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using OAuth2Client.Benchmarks.Infrastructure;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// The hot path of <see cref="HotPathBenchmarks"/> over an inner handler that completes asynchronously, as every real
/// network handler does: the handler can then no longer hand back the inner task as it is, and must await it to look
/// for a 401. Shows what that costs per request, in time and bytes, against the same floor. Sets no goal.
/// </summary>
[MemoryDiagnoser]
public class HotPathAsyncInnerBenchmarks
{
    private static readonly Uri Address = new("http://127.0.0.1/api/orders");

    private ClientCredentialsTokenProvider _provider = null!;
    private HttpMessageInvoker _floor = null!;
    private HttpMessageInvoker _bearer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = TokenServer.StartWarmProvider(out OAuth2Token token);
        _floor = new HttpMessageInvoker(new FixedHeaderHandler(new AuthenticationHeaderValue("Bearer", token.Value)) { InnerHandler = new YieldingResponseHandler() });
        _bearer = new HttpMessageInvoker(new BearerTokenHandler(_provider) { InnerHandler = new YieldingResponseHandler() });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _bearer.Dispose();
        _provider.Dispose();
    }

    /// <summary>The floor: a delegating handler that sets a header value built once.</summary>
    [Benchmark(Baseline = true)]
    public Task<HttpResponseMessage> PrecomputedHeader() => _floor.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), CancellationToken.None);

    /// <summary><see cref="BearerTokenHandler"/> with a cached token.</summary>
    [Benchmark]
    public Task<HttpResponseMessage> BearerHandlerCachedToken() => _bearer.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), CancellationToken.None);
}
