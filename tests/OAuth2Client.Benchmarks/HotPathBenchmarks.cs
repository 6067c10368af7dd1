using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using OAuth2Client.Benchmarks.Infrastructure;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Goal 1: one request through <see cref="BearerTokenHandler"/> with a cached token costs at most 1.05x the floor
/// (a handler that sets a precomputed header) and allocates no more.
/// Every variant creates the same <see cref="HttpRequestMessage"/> and sends it through <see cref="HttpMessageInvoker"/>
/// (no HttpClient timeout or buffering) to <see cref="StaticResponseHandler"/>, which answers synchronously and allocates
/// nothing. The token provider is the real <see cref="ClientCredentialsTokenProvider"/>, warmed once against the
/// loopback emulator; the emulator is stopped before measuring, so no server activity shares the process.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private static readonly Uri Address = new("http://127.0.0.1/api/orders");

    private ClientCredentialsTokenProvider _provider = null!;
    private HttpMessageInvoker _noAuth = null!;
    private HttpMessageInvoker _floor = null!;
    private HttpMessageInvoker _bearer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _provider = TokenServer.StartWarmProvider(out OAuth2Token token);
        _noAuth = new HttpMessageInvoker(new StaticResponseHandler());
        _floor = new HttpMessageInvoker(new FixedHeaderHandler(new AuthenticationHeaderValue("Bearer", token.Value)) { InnerHandler = new StaticResponseHandler() });
        _bearer = new HttpMessageInvoker(new BearerTokenHandler(_provider) { InnerHandler = new StaticResponseHandler() });

        // The variants must do what they claim: the floor and the handler attach the same header, the first none.
        ExpectAuthorization(_noAuth, null);
        ExpectAuthorization(_floor, "Bearer " + token.Value);
        ExpectAuthorization(_bearer, "Bearer " + token.Value);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _noAuth.Dispose();
        _floor.Dispose();
        _bearer.Dispose();
        _provider.Dispose();
    }

    /// <summary>(a) No authorization at all: the invoker straight over the in-memory handler.</summary>
    [Benchmark]
    public Task<HttpResponseMessage> NoAuthHandler() => _noAuth.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), CancellationToken.None);

    /// <summary>(b) The floor: a delegating handler that sets a header value built once.</summary>
    [Benchmark(Baseline = true)]
    public Task<HttpResponseMessage> PrecomputedHeader() => _floor.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), CancellationToken.None);

    /// <summary>The library: <see cref="BearerTokenHandler"/> over the warmed <see cref="ClientCredentialsTokenProvider"/>.</summary>
    [Benchmark]
    public Task<HttpResponseMessage> BearerHandlerCachedToken() => _bearer.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), CancellationToken.None);

    private static void ExpectAuthorization(HttpMessageInvoker invoker, string? expected)
    {
        using var probe = new HttpRequestMessage(HttpMethod.Get, Address);
        HttpResponseMessage response = invoker.SendAsync(probe, CancellationToken.None).GetAwaiter().GetResult();
        string? actual = probe.Headers.Authorization?.ToString();
        if (!response.IsSuccessStatusCode || actual != expected)
        {
            throw new InvalidOperationException($"Expected Authorization '{expected ?? "(none)"}', the request carried '{actual ?? "(none)"}'.");
        }
    }
}
