using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OAuth2Client.Benchmarks.Infrastructure;
using OAuth2Client.Testing;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Goal 4: request latency across a token's refresh point when the token endpoint takes 300 ms, with refresh-ahead on
/// and off (<see cref="RefreshAhead"/>), against the same burst with no refresh point in it (the steady state).
/// A burst sends requests at a fixed rate (<see cref="RequestsPerMillisecond"/>, open loop: arrivals never wait for
/// earlier requests) through <see cref="BearerTokenHandler"/> to the emulator's API on loopback for
/// <see cref="BurstMilliseconds"/>. In a boundary burst, after <see cref="BoundaryAtMilliseconds"/> the provider's clock
/// moves to <see cref="IntoWindow"/> before the current token's expiry: inside its refresh window (the token lives an
/// hour, the window is the last 60 s, jittered to the last 48–60 s), but before the end of its usable life (5 s before
/// expiry). With refresh-ahead the next request starts a renewal in the background and every request keeps the current
/// token; without it, every request that arrives until the new token is there waits for it. A steady burst is the same
/// with the token fresh throughout.
/// One invocation runs one steady and one boundary burst back to back, alternating which goes first, so that whatever
/// else the machine does hits both alike (the steady state is measured in the same process, minutes apart at most).
/// Latency is from the call to the response; the percentiles pool every invocation but the first (JIT).
/// <see cref="TokenWaitRecorder"/> counts the requests that waited for a token at all.
/// Every case runs 1 warm-up and 10 measured invocations, whatever the job, so the sample is the same.
/// A burst throws when it causes a number of token requests other than the expected one (1 across the refresh point,
/// 0 in the steady state), or when, with refresh-ahead, any request waited 10 ms or more for its token.
/// </summary>
[Config(typeof(Columns))]
[InvocationCount(1)]
[WarmupCount(1)]
[IterationCount(10)]
public class RefreshBoundaryBenchmarks
{
    private const int TokenLatencyMilliseconds = 300;
    private const int BurstMilliseconds = 2000;
    private const int BoundaryAtMilliseconds = 500;

    /// <summary>Requests arriving this long after the clock moves are "at the boundary": the renewal is in flight for them.</summary>
    private const int BoundaryWindowMilliseconds = 500;

    private const int RequestsPerMillisecond = 1;
    private const int RequestsPerBurst = BurstMilliseconds * RequestsPerMillisecond;

    /// <summary>Where the clock moves, before the current token's expiry: in its refresh window, not past its usable end.</summary>
    private static readonly TimeSpan IntoWindow = TimeSpan.FromSeconds(20);

    private readonly Sample _steady = new();
    private readonly Sample _boundary = new();
    private readonly List<double> _pairRatios = [];
    private readonly ShiftableTimeProvider _clock = new();
    private EmulatedOAuthServer _server = null!;
    private ClientCredentialsTokenProvider _provider = null!;
    private TokenWaitRecorder _tokenWaits = null!;
    private HttpClient _api = null!;
    private int _invocations;
    private int _fewestTokenRequests = int.MaxValue;
    private int _mostTokenRequests;
    private int _tokenWaitCount;
    private int _longTokenWaitCount;
    private double _longestTokenWaitMs;

    /// <summary>Whether a token entering its refresh window is renewed in the background (<see cref="OAuth2ClientOptions.RefreshAhead"/>).</summary>
    [Params(true, false)]
    public bool RefreshAhead { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _server = TokenServer.Start();
        OAuth2ClientOptions options = TokenServer.OptionsFor(_server);
        options.RefreshAhead = RefreshAhead;
        _provider = new ClientCredentialsTokenProvider(options, httpClient: null, _clock);
        _tokenWaits = new TokenWaitRecorder(_provider);
        _api = new HttpClient(new BearerTokenHandler(_tokenWaits) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = _server.ApiAddress };
        for (int i = 0; i < 20; i++)
        {
            using HttpResponseMessage response = _api.GetAsync("orders").GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
        }

        _server.TokenLatency = TimeSpan.FromMilliseconds(TokenLatencyMilliseconds);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _api.Dispose();
        _provider.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_boundary.All.Count == 0)
        {
            return;
        }

        double[] steady = [.. _steady.All.Order()];
        double[] boundary = [.. _boundary.All.Order()];
        double[] steadyWindow = [.. _steady.Window.Order()];
        double[] boundaryWindow = [.. _boundary.Window.Order()];
        double steadyP99 = Percentile(steady, 0.99);
        double steadyWindowP99 = Percentile(steadyWindow, 0.99);
        var metrics = new Dictionary<string, string>
        {
            ["Requests"] = string.Create(CultureInfo.InvariantCulture, $"{steady.Length}+{boundary.Length}"),
            ["Steady p50 ms"] = Format(Percentile(steady, 0.50)),
            ["Steady p99 ms"] = Format(steadyP99),
            ["Steady max ms"] = Format(steady[^1]),
            ["p50 ms"] = Format(Percentile(boundary, 0.50)),
            ["p90 ms"] = Format(Percentile(boundary, 0.90)),
            ["p99 ms"] = Format(Percentile(boundary, 0.99)),
            ["Max ms"] = Format(boundary[^1]),
            ["p99 / steady"] = Ratio(Percentile(boundary, 0.99), steadyP99),
            ["Pair ratio median"] = Format(Percentile([.. _pairRatios.Order()], 0.50)),
            ["Pairs <= 1.1x"] = string.Create(CultureInfo.InvariantCulture, $"{_pairRatios.Count(r => r <= 1.1)}/{_pairRatios.Count}"),
            ["Window p99 / steady"] = string.Create(
                CultureInfo.InvariantCulture,
                $"{Format(Percentile(boundaryWindow, 0.99))} / {Format(steadyWindowP99)} = {Ratio(Percentile(boundaryWindow, 0.99), steadyWindowP99)}"),
            ["Waited >= 10 ms"] = string.Create(CultureInfo.InvariantCulture, $"{boundary.Count(l => l >= 10)} / {steady.Count(l => l >= 10)}"),
            ["Token waits"] = _tokenWaitCount.ToString(CultureInfo.InvariantCulture),
            ["Token waits >= 10 ms"] = _longTokenWaitCount.ToString(CultureInfo.InvariantCulture),
            ["Longest token wait ms"] = Format(_longestTokenWaitMs),
            ["Token requests/burst"] = _fewestTokenRequests == _mostTokenRequests
                ? _mostTokenRequests.ToString(CultureInfo.InvariantCulture)
                : $"{_fewestTokenRequests}-{_mostTokenRequests}",
        };
        Console.WriteLine($"// Refresh boundary (RefreshAhead={RefreshAhead}): " + string.Join(", ", metrics.Select(m => $"{m.Key} {m.Value}")));
        ScenarioMetrics.Write(typeof(RefreshBoundaryBenchmarks), nameof(SteadyThenBoundaryBursts), $"{nameof(RefreshAhead)}={RefreshAhead}", metrics);
    }

    /// <summary>One steady burst and one boundary burst, in alternating order.</summary>
    [Benchmark]
    public async Task SteadyThenBoundaryBursts()
    {
        bool steadyFirst = _invocations % 2 == 0;
        double[] first = await BurstAsync(moveIntoRefreshWindow: !steadyFirst).ConfigureAwait(false);
        double[] second = await BurstAsync(moveIntoRefreshWindow: steadyFirst).ConfigureAwait(false);
        if (_invocations++ == 0)
        {
            return;
        }

        (double[] steady, double[] boundary) = steadyFirst ? (first, second) : (second, first);
        _steady.Add(steady);
        _boundary.Add(boundary);
        double[] steadySorted = [.. steady.Order()];
        double[] boundarySorted = [.. boundary.Order()];
        _pairRatios.Add(Percentile(boundarySorted, 0.99) / Percentile(steadySorted, 0.99));
    }

    private static double Percentile(double[] sorted, double p) => EndToEndPairedBenchmarks.Percentile(sorted, p);

    private static string Format(double milliseconds) => milliseconds.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Ratio(double value, double baseline) => (value / baseline).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>One burst; returns each request's latency in arrival order. Throws when an invariant breaks (see the class).</summary>
    private async Task<double[]> BurstAsync(bool moveIntoRefreshWindow)
    {
        OAuth2Token token = await _provider.GetTokenAsync().ConfigureAwait(false);
        int tokenRequestsBefore = _server.TokenRequestCount;
        _tokenWaits.Reset();
        var requests = new Task<double>[RequestsPerBurst];
        int issued = 0;
        bool moved = false;
        long start = Stopwatch.GetTimestamp();
        while (issued < requests.Length)
        {
            double elapsedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (moveIntoRefreshWindow && !moved && elapsedMs >= BoundaryAtMilliseconds)
            {
                _clock.AdvanceTo(token.ExpiresAt - IntoWindow);
                moved = true;
            }

            int due = Math.Min(requests.Length, (int)(elapsedMs * RequestsPerMillisecond) + 1);
            for (; issued < due; issued++)
            {
                requests[issued] = TimedGetAsync();
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        double[] latencies = await Task.WhenAll(requests).ConfigureAwait(false);
        string burst = moveIntoRefreshWindow ? "A burst into the refresh window" : "A steady burst";
        int tokenRequests = _server.TokenRequestCount - tokenRequestsBefore;
        int expected = moveIntoRefreshWindow ? 1 : 0;
        if (tokenRequests != expected)
        {
            throw new InvalidOperationException($"{burst} (RefreshAhead={RefreshAhead}) caused {tokenRequests} token requests; expected exactly {expected}.");
        }

        if (RefreshAhead && _tokenWaits.LongWaits > 0)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"{burst} with refresh-ahead: {_tokenWaits.LongWaits} requests waited 10 ms or more for a token (longest {_tokenWaits.LongestWaitMs:0.0} ms); expected none."));
        }

        if (moveIntoRefreshWindow && _invocations > 0)
        {
            _fewestTokenRequests = Math.Min(_fewestTokenRequests, tokenRequests);
            _mostTokenRequests = Math.Max(_mostTokenRequests, tokenRequests);
            _tokenWaitCount += _tokenWaits.Waits;
            _longTokenWaitCount += _tokenWaits.LongWaits;
            _longestTokenWaitMs = Math.Max(_longestTokenWaitMs, _tokenWaits.LongestWaitMs);
        }

        return latencies;
    }

    private async Task<double> TimedGetAsync()
    {
        long start = Stopwatch.GetTimestamp();
        using HttpResponseMessage response = await _api.GetAsync("orders").ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>The latencies of one kind of burst: all of them, and those of the requests that arrived in the boundary window.</summary>
    private sealed class Sample
    {
        public List<double> All { get; } = [];

        public List<double> Window { get; } = [];

        public void Add(double[] latencies)
        {
            All.AddRange(latencies);
            Window.AddRange(latencies.AsSpan(BoundaryAtMilliseconds * RequestsPerMillisecond, BoundaryWindowMilliseconds * RequestsPerMillisecond));
        }
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(
            new ScenarioMetricColumn("Requests", "Requests measured, steady + boundary (all invocations but the first)"),
            new ScenarioMetricColumn("Steady p50 ms", "Median latency in the steady bursts"),
            new ScenarioMetricColumn("Steady p99 ms", "99th percentile latency in the steady bursts"),
            new ScenarioMetricColumn("Steady max ms", "Slowest request in the steady bursts"),
            new ScenarioMetricColumn("p50 ms", "Median latency in the boundary bursts"),
            new ScenarioMetricColumn("p90 ms", "90th percentile latency in the boundary bursts"),
            new ScenarioMetricColumn("p99 ms", "99th percentile latency in the boundary bursts"),
            new ScenarioMetricColumn("Max ms", "Slowest request in the boundary bursts"),
            new ScenarioMetricColumn("p99 / steady", "Boundary p99 over steady p99, pooled (goal with refresh-ahead: <= 1.1)"),
            new ScenarioMetricColumn("Pair ratio median", "Median over invocations of (boundary burst's p99 / steady burst's p99)"),
            new ScenarioMetricColumn("Pairs <= 1.1x", "Invocations whose boundary burst's p99 was within 1.1x of its steady burst's"),
            new ScenarioMetricColumn("Window p99 / steady", "p99 of the requests that arrived in the 500 ms after the clock moved, over the same 500 ms of the steady bursts"),
            new ScenarioMetricColumn("Waited >= 10 ms", "Requests that took 10 ms or more for whatever reason, boundary / steady"),
            new ScenarioMetricColumn("Token waits", "Requests in boundary bursts whose token lookup did not complete at once (they waited for a token request)"),
            new ScenarioMetricColumn("Token waits >= 10 ms", "Requests that waited 10 ms or more for their token (goal with refresh-ahead: 0)"),
            new ScenarioMetricColumn("Longest token wait ms", "Longest wait for a token"),
            new ScenarioMetricColumn("Token requests/burst", "Token requests per boundary burst (min-max); must be 1 (a steady burst must cause 0)"));
    }
}
