using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using OAuth2Client.Benchmarks.Infrastructure;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// What per-request token parameters cost once an app uses them (no goal; reported in docs/benchmarks.md): a request
/// without parameters in a process where some request had them (the handler then reads <c>request.Options</c>, which
/// allocates it), and a request with a scope of its own (a dictionary lookup for its parameter set's provider). Both
/// tokens are cached; the token endpoint (the emulator) is stopped before measuring. <see cref="HotPathBenchmarks"/>
/// measures the path of an app that never uses parameters.
/// </summary>
[MemoryDiagnoser]
public class PerRequestParametersBenchmarks
{
    private static readonly Uri Address = new("http://127.0.0.1/api/orders");
    private static readonly OAuth2TokenParameters Reports = new() { Scope = "reports" };

    private ClientCredentialsTokenProvider _provider = null!;
    private HttpMessageInvoker _floor = null!;
    private HttpMessageInvoker _bearer = null!;

    [GlobalSetup]
    public void Setup()
    {
        Testing.EmulatedOAuthServer server = TokenServer.Start();
        try
        {
            _provider = new ClientCredentialsTokenProvider(TokenServer.OptionsFor(server));
            OAuth2Token token = _provider.GetTokenAsync().AsTask().GetAwaiter().GetResult();
            _provider.WithParameters(Reports).GetTokenAsync().AsTask().GetAwaiter().GetResult();
            _floor = new HttpMessageInvoker(new FixedHeaderHandler(new AuthenticationHeaderValue("Bearer", token.Value)) { InnerHandler = new StaticResponseHandler() });
            _bearer = new HttpMessageInvoker(new BearerTokenHandler(_provider) { InnerHandler = new StaticResponseHandler() });
            _bearer.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address).SetOAuth2TokenParameters(Reports), CancellationToken.None).GetAwaiter().GetResult();
            if (server.TokenRequestCount != 2)
            {
                throw new InvalidOperationException($"Expected two token requests while warming up, saw {server.TokenRequestCount}.");
            }
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _floor.Dispose();
        _bearer.Dispose();
        _provider.Dispose();
    }

    /// <summary>The floor of <see cref="HotPathBenchmarks"/>: a handler that sets a header built once.</summary>
    [Benchmark(Baseline = true)]
    public Task<HttpResponseMessage> PrecomputedHeader() => _floor.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), CancellationToken.None);

    /// <summary>A request without parameters, after the process has used them.</summary>
    [Benchmark]
    public Task<HttpResponseMessage> DefaultTokenAfterParametersUsed() => _bearer.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), CancellationToken.None);

    /// <summary>A request with its own scope (the parameters object shared, as an app would keep it).</summary>
    [Benchmark]
    public Task<HttpResponseMessage> ScopedToken() => _bearer.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address).SetOAuth2TokenParameters(Reports), CancellationToken.None);
}
