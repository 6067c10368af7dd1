using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OAuth2Client.Benchmarks.Infrastructure;
using OAuth2Client.Testing;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Goal 2: 1,000 concurrent first calls on a cold cache cause exactly one token request, and all of them finish in
/// about the token endpoint's own latency. Each invocation builds a fresh (cold) provider and handler chain over the
/// in-memory <see cref="StaticResponseHandler"/>; the token endpoint is the loopback emulator, slowed by
/// <see cref="TokenLatencyMs"/>. The baseline is one first call: the endpoint's latency as the client sees it.
/// An invocation that causes any number of token requests other than one throws, which fails the benchmark.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class HerdBenchmarks
{
    private const int HerdSize = 1000;
    private static readonly Uri Address = new("http://127.0.0.1/api/orders");

    private EmulatedOAuthServer _server = null!;
    private HttpClient _tokenHttp = null!;
    private OAuth2ClientOptions _options = null!;
    private int _fewestTokenRequests = int.MaxValue;
    private int _mostTokenRequests;
    private int _invocations;
    private string _scenario = string.Empty;

    /// <summary>Delay the emulated token endpoint adds to every token response.</summary>
    [Params(0, 100)]
    public int TokenLatencyMs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = TokenServer.Start();
        _options = TokenServer.OptionsFor(_server);
        // One connection pool for the token endpoint, shared by the cold providers, as an app's would be.
        _tokenHttp = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        using (var warm = new ClientCredentialsTokenProvider(_options, _tokenHttp))
        {
            _ = warm.GetTokenAsync().AsTask().GetAwaiter().GetResult();
        }

        _server.TokenLatency = TimeSpan.FromMilliseconds(TokenLatencyMs);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// {_scenario} (TokenLatencyMs={TokenLatencyMs}): {_invocations} invocations, token requests per invocation min {_fewestTokenRequests}, max {_mostTokenRequests}");
        ScenarioMetrics.Write(typeof(HerdBenchmarks), _scenario, $"{nameof(TokenLatencyMs)}={TokenLatencyMs}", new Dictionary<string, string>
        {
            ["Token requests/op"] = _fewestTokenRequests == _mostTokenRequests
                ? _mostTokenRequests.ToString(CultureInfo.InvariantCulture)
                : $"{_fewestTokenRequests}-{_mostTokenRequests}",
        });
        _tokenHttp.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>One first call on a cold cache: the token endpoint's latency plus the client's own work.</summary>
    [Benchmark(Baseline = true)]
    public Task OneFirstCall() => FirstCallsAsync(1, nameof(OneFirstCall));

    /// <summary>1,000 first calls at once on a cold cache, each on its own thread-pool work item.</summary>
    [Benchmark]
    public Task ThousandConcurrentFirstCalls() => FirstCallsAsync(HerdSize, nameof(ThousandConcurrentFirstCalls));

    private async Task FirstCallsAsync(int callers, string scenario)
    {
        _scenario = scenario;
        int before = _server.TokenRequestCount;
        using var provider = new ClientCredentialsTokenProvider(_options, _tokenHttp);
        using var invoker = new HttpMessageInvoker(new BearerTokenHandler(provider) { InnerHandler = new StaticResponseHandler() });

        var calls = new Task<HttpResponseMessage>[callers];
        for (int i = 0; i < callers; i++)
        {
            calls[i] = Task.Run(() => invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, Address), CancellationToken.None));
        }

        await Task.WhenAll(calls).ConfigureAwait(false);

        int tokenRequests = _server.TokenRequestCount - before;
        _invocations++;
        _fewestTokenRequests = Math.Min(_fewestTokenRequests, tokenRequests);
        _mostTokenRequests = Math.Max(_mostTokenRequests, tokenRequests);
        if (tokenRequests != 1)
        {
            throw new InvalidOperationException($"{callers} concurrent first calls caused {tokenRequests} token requests; expected exactly 1.");
        }
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new ScenarioMetricColumn("Token requests/op", "Token requests the emulator counted per invocation (min-max over all invocations); must be 1"));
    }
}
