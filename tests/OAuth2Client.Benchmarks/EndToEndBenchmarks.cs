using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OAuth2Client.Benchmarks.Infrastructure;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Goal 3: throughput of <see cref="Callers"/> concurrent callers against a Kestrel API on 127.0.0.1 through
/// <see cref="BearerTokenHandler"/> is at least 0.97x that of a plain <see cref="HttpClient"/> with a fixed
/// <c>Authorization</c> header (<see cref="EndToEndFixture"/>). Client and server share this process and its cores,
/// as a loopback test must. One operation is one request (an invocation makes <see cref="RequestsPerInvocation"/>
/// of them, split between the callers), so Mean is the time per request at that concurrency and Requests/s its
/// inverse. Allocated counts the whole process, so it includes Kestrel's share, the same for both variants.
/// Each variant runs in its own process, at a different time: <see cref="EndToEndPairedBenchmarks"/> gives the
/// ratio measured under the same conditions.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Columns))]
public class EndToEndBenchmarks
{
    private const int RequestsPerInvocation = 1024;

    private EndToEndFixture _fixture = null!;

    /// <summary>Concurrent callers, each sending its share of the requests one after another.</summary>
    [Params(1, 32)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new EndToEndFixture();
        _fixture.Warm(Callers);
    }

    [GlobalCleanup]
    public void Cleanup() => _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>A plain <see cref="HttpClient"/> whose default headers carry the token.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = RequestsPerInvocation)]
    public Task PlainClientFixedHeader() => EndToEndFixture.SendAsync(_fixture.Plain, Callers, RequestsPerInvocation);

    /// <summary>The same requests through <see cref="BearerTokenHandler"/> with a cached token.</summary>
    [Benchmark(OperationsPerInvoke = RequestsPerInvocation)]
    public Task BearerHandler() => EndToEndFixture.SendAsync(_fixture.Bearer, Callers, RequestsPerInvocation);

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new ThroughputColumn(relativeToBaseline: false), new ThroughputColumn(relativeToBaseline: true));
    }
}
