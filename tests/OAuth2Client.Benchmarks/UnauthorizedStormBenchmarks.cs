using System.Diagnostics;
using System.Globalization;
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OAuth2Client.Benchmarks.Infrastructure;
using OAuth2Client.Testing;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Goal 6: an API that rejects every token (it answers 401 with <c>WWW-Authenticate: Bearer error="invalid_token"</c>,
/// which blames the token) must not turn each request into a token request. One invocation is one storm:
/// <see cref="Callers"/> concurrent callers send requests one after another through <see cref="BearerTokenHandler"/>
/// to the emulator's API for <see cref="StormSeconds"/> of real time, on the system clock (the production fast path).
/// The handler renews a rejected token only when it is at least <see cref="OAuth2ClientOptions.MinTokenAgeForRenewal"/>
/// (5 s) old, so the emulator must count at most one token request per 5 s of the storm plus the first (the token
/// in use when the storm starts may already be old enough): <c>1 + floor(duration / 5 s)</c>, where the duration runs
/// until the last caller's last response. Every caller must get the 401 back. Any breach throws.
/// </summary>
[Config(typeof(Columns))]
[InvocationCount(1)]
[WarmupCount(1)]
[IterationCount(3)]
public class UnauthorizedStormBenchmarks
{
    private const int Callers = 50;
    private const int StormSeconds = 10;

    private static readonly TimeSpan MinTokenAgeForRenewal = TimeSpan.FromSeconds(5);

    private EmulatedOAuthServer _server = null!;
    private ClientCredentialsTokenProvider _provider = null!;
    private HttpClient _api = null!;
    private int _storms;
    private long _calls;
    private int _fewestTokenRequests = int.MaxValue;
    private int _mostTokenRequests;
    private int _bound;
    private double _seconds;

    [GlobalSetup]
    public void Setup()
    {
        _server = TokenServer.Start();
        OAuth2ClientOptions options = TokenServer.OptionsFor(_server);
        options.MinTokenAgeForRenewal = MinTokenAgeForRenewal;
        _provider = new ClientCredentialsTokenProvider(options);
        _api = new HttpClient(new BearerTokenHandler(_provider) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = _server.ApiAddress };
        for (int i = 0; i < 20; i++)
        {
            using HttpResponseMessage response = _api.GetAsync("orders").GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
        }

        _server.RejectAllApiCalls = true;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _api.Dispose();
        _provider.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_storms < 2)
        {
            return;
        }

        var metrics = new Dictionary<string, string>
        {
            ["Storms"] = (_storms - 1).ToString(CultureInfo.InvariantCulture),
            ["Calls/storm"] = (_calls / (_storms - 1)).ToString(CultureInfo.InvariantCulture),
            ["Storm s"] = _seconds.ToString("0.00", CultureInfo.InvariantCulture),
            ["Token requests/storm"] = _fewestTokenRequests == _mostTokenRequests
                ? _mostTokenRequests.ToString(CultureInfo.InvariantCulture)
                : $"{_fewestTokenRequests}-{_mostTokenRequests}",
            ["Bound"] = _bound.ToString(CultureInfo.InvariantCulture),
        };
        Console.WriteLine("// 401 storm: " + string.Join(", ", metrics.Select(m => $"{m.Key} {m.Value}")));
        ScenarioMetrics.Write(typeof(UnauthorizedStormBenchmarks), nameof(Storm), string.Empty, metrics);
    }

    [Benchmark]
    public async Task Storm()
    {
        int tokenRequestsBefore = _server.TokenRequestCount;
        long start = Stopwatch.GetTimestamp();
        TimeSpan length = TimeSpan.FromSeconds(StormSeconds);
        var callers = new Task<int>[Callers];
        for (int i = 0; i < callers.Length; i++)
        {
            callers[i] = Task.Run(() => CallUntilAsync(start, length));
        }

        int[] calls = await Task.WhenAll(callers).ConfigureAwait(false);
        TimeSpan duration = Stopwatch.GetElapsedTime(start);
        int tokenRequests = _server.TokenRequestCount - tokenRequestsBefore;
        int bound = 1 + (int)(duration / MinTokenAgeForRenewal);
        if (tokenRequests > bound)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"A {duration.TotalSeconds:0.00} s storm of 401s caused {tokenRequests} token requests; at most {bound} allowed (1 + one per {MinTokenAgeForRenewal.TotalSeconds:0} s)."));
        }

        if (_storms++ > 0)
        {
            _calls += calls.Sum();
            _fewestTokenRequests = Math.Min(_fewestTokenRequests, tokenRequests);
            _mostTokenRequests = Math.Max(_mostTokenRequests, tokenRequests);
            _bound = Math.Max(_bound, bound);
            _seconds = Math.Max(_seconds, duration.TotalSeconds);
        }
    }

    /// <summary>One caller: requests one after another until <paramref name="length"/> has passed; each must come back 401.</summary>
    private async Task<int> CallUntilAsync(long start, TimeSpan length)
    {
        int calls = 0;
        while (Stopwatch.GetElapsedTime(start) < length)
        {
            using HttpResponseMessage response = await _api.GetAsync("orders").ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                throw new InvalidOperationException($"The API rejects every token, yet a call got {(int)response.StatusCode}.");
            }

            calls++;
        }

        return calls;
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(
            new ScenarioMetricColumn("Storms", "Storms measured (all but the first)"),
            new ScenarioMetricColumn("Calls/storm", "API calls per storm, all callers together (each answered 401)"),
            new ScenarioMetricColumn("Storm s", "Longest storm, to the last caller's last response"),
            new ScenarioMetricColumn("Token requests/storm", "Token requests the emulator counted per storm (min-max)"),
            new ScenarioMetricColumn("Bound", "1 + one per MinTokenAgeForRenewal (5 s) of the longest storm"));
    }
}
