using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OAuth2Client.Benchmarks.Infrastructure;
using OAuth2Client.Testing;
using StackExchange.Redis;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Fleet mode at a cold start: 20 instances (each its own Redis connection and a cold in-process cache) ask for a token
/// at the same moment, with the distributed cache empty (flushed before every invocation). Fleet mode off is the
/// behaviour before it: 20 token requests. The goal with fleet mode on is at most 2. Also: what a cold instance pays
/// to take a token another instance published (one Redis round trip and a decryption) against fetching one itself.
/// Needs <c>redis-server</c> on the PATH; started on a free loopback port. The lifetime scenario (requests per token
/// lifetime under traffic) runs outside BenchmarkDotNet: <c>--fleet-scenario</c> (see docs/benchmarks.md).
/// </summary>
[Config(typeof(Columns))]
public class FleetBenchmarks
{
    private const int Instances = 20;
    private RedisProcess _redis = null!;
    private ConnectionMultiplexer _admin = null!;
    private EmulatedOAuthServer _server = null!;
    private HttpClient _tokenHttp = null!;
    private OAuth2ClientOptions _options = null!;
    private FleetMember[] _members = [];
    private int _fewest = int.MaxValue;
    private int _most;
    private string _scenario = string.Empty;

    [Params(FleetMode.Off, FleetMode.CacheLease, FleetMode.RedisLock)]
    public FleetMode Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _redis = RedisProcess.Start();
        _admin = ConnectionMultiplexer.Connect(_redis.Configuration);
        _server = TokenServer.Start();
        _options = TokenServer.OptionsFor(_server);
        _tokenHttp = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        _members = [.. Enumerable.Range(0, Instances).Select(_ => new FleetMember(Mode, _redis.Configuration))];

        // Warm every connection (Redis and the token endpoint's pool). In fleet mode the token stays published: the
        // cold instance of ColdInstanceFirstToken takes it; ColdStartOfTwenty flushes it before each start.
        foreach (FleetMember member in _members)
        {
            using ClientCredentialsTokenProvider warm = member.CreateProvider(_options, _tokenHttp);
            _ = warm.GetTokenAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ScenarioMetrics.Write(typeof(FleetBenchmarks), _scenario, $"{nameof(Mode)}={Mode}", new Dictionary<string, string>
        {
            ["Token requests/op"] = _fewest == _most ? _most.ToString(CultureInfo.InvariantCulture) : $"{_fewest}-{_most}",
        });
        foreach (FleetMember member in _members)
        {
            member.Dispose();
        }

        _tokenHttp.Dispose();
        _admin.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _redis.Dispose();
    }

    /// <summary>20 cold instances ask for a token at once; the distributed cache is empty (flushed first: one Redis round trip, inside the time).</summary>
    [Benchmark(Baseline = true)]
    public async Task ColdStartOfTwenty()
    {
        _scenario = nameof(ColdStartOfTwenty);
        await _admin.GetServer(_admin.GetEndPoints()[0]).FlushDatabaseAsync().ConfigureAwait(false);
        int before = _server.TokenRequestCount;
        ClientCredentialsTokenProvider[] providers = [.. _members.Select(m => m.CreateProvider(_options, _tokenHttp))];
        try
        {
            await Task.WhenAll(providers.Select(p => Task.Run(() => p.GetTokenAsync().AsTask()))).ConfigureAwait(false);
        }
        finally
        {
            Array.ForEach(providers, p => p.Dispose());
        }

        Record(_server.TokenRequestCount - before);
    }

    /// <summary>One cold instance's first token while another instance's token is in the distributed cache (fleet mode off: it fetches its own).</summary>
    [Benchmark]
    public async Task ColdInstanceFirstToken()
    {
        _scenario = nameof(ColdInstanceFirstToken);
        int before = _server.TokenRequestCount;
        using ClientCredentialsTokenProvider provider = _members[0].CreateProvider(_options, _tokenHttp);
        _ = await provider.GetTokenAsync().ConfigureAwait(false);
        Record(_server.TokenRequestCount - before);
    }

    private void Record(int tokenRequests)
    {
        _fewest = Math.Min(_fewest, tokenRequests);
        _most = Math.Max(_most, tokenRequests);
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new ScenarioMetricColumn("Token requests/op", "Token requests the emulator counted per invocation (min-max over all invocations)"));
    }
}
