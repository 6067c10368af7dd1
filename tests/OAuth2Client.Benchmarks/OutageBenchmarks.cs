using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OAuth2Client.Benchmarks.Infrastructure;
using OAuth2Client.Testing;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Goal 5: the token endpoint is down (the emulator answers every token request with 503). One invocation is one
/// outage: requests arrive at a fixed rate (1 per millisecond, open loop) through <see cref="BearerTokenHandler"/> to the
/// emulator's API, while the provider's clock runs <em>faster</em> than real time, so that minutes of token life and
/// cool-downs pass in a few seconds (every cool-down and token instant is read from the provider's clock; only the
/// network and the benchmark's latencies are real):
/// <list type="bullet">
/// <item><see cref="EndpointDownTokenValid"/>: 30 s of clock time at 10× (3 s real), starting 70 s before the token
/// expires, so the token enters its refresh window (the last 48–60 s) during the outage and its background renewals
/// fail. Every API call must succeed (stale-while-revalidate).</item>
/// <item><see cref="EndpointDownNoValidToken"/>: 120 s of clock time at 30× (4 s real), starting just after the token
/// expired. Every call must fail with <see cref="OAuth2TokenException"/> without reaching the API, and the 99th
/// percentile of a failed call must stay under 5 ms (fail fast) in every outage but the first (JIT). The outage is
/// long enough for the cool-down to double up to its 60 s cap.</item>
/// </list>
/// In both, the emulator records the clock time of every token request; consecutive requests must be at least the
/// shortest possible cool-down apart (the doubling <see cref="OAuth2ClientOptions.FailureCooldown"/> less its 20 %
/// jitter, capped at <see cref="OAuth2ClientOptions.MaxFailureCooldown"/>), so at most one token request falls in each
/// cool-down period, and their number stays within what that schedule allows. Any breach throws. After each outage the
/// endpoint comes back, and the clock moves past any cool-down so the next outage starts with a fresh token.
/// </summary>
[Config(typeof(Columns))]
[InvocationCount(1)]
[WarmupCount(1)]
[IterationCount(5)]
public class OutageBenchmarks
{
    private const int RequestsPerMillisecond = 1;
    private const double CooldownJitter = 0.2;
    private const double FailFastP99GoalMs = 5;

    private static readonly TimeSpan FailureCooldown = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxFailureCooldown = TimeSpan.FromSeconds(60);
    private static readonly TokenReply Unavailable = TokenReply.Json(503, """{"error":"temporarily_unavailable"}""");

    private readonly ShiftableTimeProvider _clock = new();
    private readonly ConcurrentQueue<DateTimeOffset> _tokenRequestTimes = new();
    private readonly List<double> _latenciesMs = [];
    private EmulatedOAuthServer _server = null!;
    private ClientCredentialsTokenProvider _provider = null!;
    private HttpClient _api = null!;
    private string _scenario = string.Empty;
    private int _outages;
    private int _failedCalls;
    private int _fewestTokenRequests = int.MaxValue;
    private int _mostTokenRequests;
    private int _tokenRequestBound;
    private int _mostTokenRequestsPerCooldown;
    private double _shortestGapOverFloor = double.PositiveInfinity;
    private string _lastGaps = "-";

    [GlobalSetup]
    public void Setup()
    {
        _server = TokenServer.Start();
        OAuth2ClientOptions options = TokenServer.OptionsFor(_server);
        options.FailureCooldown = FailureCooldown;
        options.MaxFailureCooldown = MaxFailureCooldown;
        _provider = new ClientCredentialsTokenProvider(options, httpClient: null, _clock);
        _api = new HttpClient(new BearerTokenHandler(_provider) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = _server.ApiAddress };
        for (int i = 0; i < 20; i++)
        {
            using HttpResponseMessage response = _api.GetAsync("orders").GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _api.Dispose();
        _provider.Dispose();
        _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_latenciesMs.Count == 0)
        {
            return;
        }

        double[] sorted = [.. _latenciesMs.Order()];
        var metrics = new Dictionary<string, string>
        {
            ["Calls"] = sorted.Length.ToString(CultureInfo.InvariantCulture),
            ["Failed calls"] = _failedCalls.ToString(CultureInfo.InvariantCulture),
            ["p50 ms"] = Format(EndToEndPairedBenchmarks.Percentile(sorted, 0.50)),
            ["p99 ms"] = Format(EndToEndPairedBenchmarks.Percentile(sorted, 0.99)),
            ["Max ms"] = Format(sorted[^1]),
            ["Token requests/outage"] = _fewestTokenRequests == _mostTokenRequests
                ? _mostTokenRequests.ToString(CultureInfo.InvariantCulture)
                : $"{_fewestTokenRequests}-{_mostTokenRequests}",
            ["Bound"] = _tokenRequestBound.ToString(CultureInfo.InvariantCulture),
            ["Per cool-down"] = _mostTokenRequestsPerCooldown.ToString(CultureInfo.InvariantCulture),
            ["Gap / floor"] = double.IsPositiveInfinity(_shortestGapOverFloor) ? "-" : _shortestGapOverFloor.ToString("0.00", CultureInfo.InvariantCulture),
            ["Gaps s (last)"] = _lastGaps,
        };
        Console.WriteLine($"// Outage, {_scenario}: " + string.Join(", ", metrics.Select(m => $"{m.Key} {m.Value}")));
        ScenarioMetrics.Write(typeof(OutageBenchmarks), _scenario, string.Empty, metrics);
    }

    /// <summary>(a) A 30 s outage while the token is valid, during which it enters its refresh window: no call may fail.</summary>
    [Benchmark]
    public async Task EndpointDownTokenValid()
    {
        _scenario = nameof(EndpointDownTokenValid);
        OAuth2Token token = await _provider.GetTokenAsync().ConfigureAwait(false);
        _clock.AdvanceTo(token.ExpiresAt - TimeSpan.FromSeconds(70));
        TimeSpan outage = TimeSpan.FromSeconds(30);
        (Call[] calls, DateTimeOffset[] tokenRequests) = await DuringOutageAsync(outage, clockSpeed: 10).ConfigureAwait(false);

        int failed = calls.Count(c => !c.Succeeded);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} of {calls.Length} API calls failed during an outage of the token endpoint while the token was valid; expected none.");
        }

        if (tokenRequests.Length == 0)
        {
            throw new InvalidOperationException("The token entered its refresh window during the outage but no renewal was tried.");
        }

        Record(calls, tokenRequests, outage, failed);
        await RecoverAsync().ConfigureAwait(false);
    }

    /// <summary>(b) A 120 s outage with no valid token: every call fails, fast, and token requests keep to the cool-downs.</summary>
    [Benchmark]
    public async Task EndpointDownNoValidToken()
    {
        _scenario = nameof(EndpointDownNoValidToken);
        OAuth2Token token = await _provider.GetTokenAsync().ConfigureAwait(false);
        int apiRequestsBefore = _server.ApiRequestCount;
        _clock.AdvanceTo(token.ExpiresAt + TimeSpan.FromSeconds(1));
        TimeSpan outage = TimeSpan.FromSeconds(120);
        (Call[] calls, DateTimeOffset[] tokenRequests) = await DuringOutageAsync(outage, clockSpeed: 30).ConfigureAwait(false);

        int succeeded = calls.Count(c => c.Succeeded);
        int reachedApi = _server.ApiRequestCount - apiRequestsBefore;
        if (succeeded > 0 || reachedApi > 0)
        {
            throw new InvalidOperationException($"With no valid token and the token endpoint down, {succeeded} calls succeeded and {reachedApi} reached the API; expected none.");
        }

        double[] sorted = [.. calls.Select(c => c.LatencyMs).Order()];
        double p99 = EndToEndPairedBenchmarks.Percentile(sorted, 0.99);
        if (_outages > 0 && p99 >= FailFastP99GoalMs) // the first outage runs the failure paths for the first time (JIT)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Failed calls did not fail fast: p99 {p99:0.00} ms, expected under {FailFastP99GoalMs} ms."));
        }

        Record(calls, tokenRequests, outage, calls.Length);
        await RecoverAsync().ConfigureAwait(false);
    }

    /// <summary>The shortest cool-down after <paramref name="failures"/> failures in a row: doubling, less the jitter, capped.</summary>
    private static TimeSpan CooldownFloor(int failures)
        => TimeSpan.FromTicks((long)Math.Min(FailureCooldown.Ticks * Math.Pow(2, failures - 1) * (1 - CooldownJitter), MaxFailureCooldown.Ticks));

    /// <summary>The most token requests the cool-downs allow in <paramref name="span"/> of clock time: the first, then one after each shortest cool-down.</summary>
    private static int TokenRequestBound(TimeSpan span)
    {
        int requests = 1;
        for (TimeSpan next = CooldownFloor(1); next <= span; next += CooldownFloor(requests))
        {
            requests++;
        }

        return requests;
    }

    private static string Format(double milliseconds) => milliseconds.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Takes the token endpoint down for <paramref name="clockSpan"/> of the provider's clock, which runs
    /// <paramref name="clockSpeed"/> times faster than real time meanwhile, and sends 1 request per real millisecond.
    /// Returns every call and the clock time of every token request the emulator received.
    /// </summary>
    private async Task<(Call[] Calls, DateTimeOffset[] TokenRequests)> DuringOutageAsync(TimeSpan clockSpan, int clockSpeed)
    {
        _tokenRequestTimes.Clear();
        int tokenRequestsBefore = _server.TokenRequestCount;
        _server.TokenReplyOverride = (_, _) =>
        {
            _tokenRequestTimes.Enqueue(_clock.GetUtcNow());
            return Unavailable;
        };

        Call[] calls;
        try
        {
            var pending = new Task<Call>[(int)(clockSpan.TotalMilliseconds / clockSpeed) * RequestsPerMillisecond];
            int issued = 0;
            long start = Stopwatch.GetTimestamp();
            TimeSpan lastElapsed = TimeSpan.Zero;
            while (issued < pending.Length)
            {
                // Real time moves the clock once; this adds the rest of the speed-up.
                TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
                _clock.Advance((elapsed - lastElapsed) * (clockSpeed - 1));
                lastElapsed = elapsed;

                int due = Math.Min(pending.Length, (int)(elapsed.TotalMilliseconds * RequestsPerMillisecond) + 1);
                for (; issued < due; issued++)
                {
                    pending[issued] = TimedGetAsync();
                }

                await Task.Delay(1).ConfigureAwait(false);
            }

            calls = await Task.WhenAll(pending).ConfigureAwait(false);
        }
        finally
        {
            _server.TokenReplyOverride = null;
        }

        DateTimeOffset[] tokenRequests = [.. _tokenRequestTimes];
        int counted = _server.TokenRequestCount - tokenRequestsBefore;
        if (counted != tokenRequests.Length)
        {
            throw new InvalidOperationException($"The emulator counted {counted} token requests but recorded {tokenRequests.Length}.");
        }

        return (calls, tokenRequests);
    }

    /// <summary>Checks the token requests against the cool-downs (throws on a breach) and, except for the first outage (JIT), records the outage.</summary>
    private void Record(Call[] calls, DateTimeOffset[] tokenRequests, TimeSpan outage, int failedCalls)
    {
        int bound = TokenRequestBound(outage);
        if (tokenRequests.Length > bound)
        {
            throw new InvalidOperationException($"{_scenario}: {tokenRequests.Length} token requests in a {outage.TotalSeconds:0} s outage; the cool-downs allow at most {bound}.");
        }

        double shortestGapOverFloor = double.PositiveInfinity;
        int mostPerCooldown = tokenRequests.Length == 0 ? 0 : 1;
        for (int i = 1; i < tokenRequests.Length; i++)
        {
            // The i-th failure in a row started a cool-down of at least CooldownFloor(i): count what arrived within it.
            TimeSpan floor = CooldownFloor(i);
            TimeSpan gap = tokenRequests[i] - tokenRequests[i - 1];
            shortestGapOverFloor = Math.Min(shortestGapOverFloor, gap / floor);
            mostPerCooldown = Math.Max(mostPerCooldown, tokenRequests.Count(t => t >= tokenRequests[i - 1] && t < tokenRequests[i - 1] + floor));
        }

        if (mostPerCooldown > 1)
        {
            throw new InvalidOperationException($"{_scenario}: {mostPerCooldown} token requests within one cool-down period; expected at most 1.");
        }

        if (_outages++ == 0)
        {
            return;
        }

        _latenciesMs.AddRange(calls.Select(c => c.LatencyMs));
        _failedCalls += failedCalls;
        _fewestTokenRequests = Math.Min(_fewestTokenRequests, tokenRequests.Length);
        _mostTokenRequests = Math.Max(_mostTokenRequests, tokenRequests.Length);
        _tokenRequestBound = bound;
        _mostTokenRequestsPerCooldown = Math.Max(_mostTokenRequestsPerCooldown, mostPerCooldown);
        _shortestGapOverFloor = Math.Min(_shortestGapOverFloor, shortestGapOverFloor);
        _lastGaps = tokenRequests.Length < 2
            ? "-"
            : string.Join(" ", tokenRequests.Skip(1).Zip(tokenRequests).Select(p => (p.First - p.Second).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)));
    }

    /// <summary>With the endpoint back, moves the clock past any cool-down (and the token's expiry) until a fresh token is in.</summary>
    private async Task RecoverAsync()
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            _clock.Advance(MaxFailureCooldown + TimeSpan.FromSeconds(1));
            try
            {
                OAuth2Token token = await _provider.GetTokenAsync().ConfigureAwait(false);
                if (token.ExpiresAt - _clock.GetUtcNow() > TimeSpan.FromMinutes(30))
                {
                    return;
                }
            }
            catch (OAuth2TokenException)
            {
                // A renewal that started during the outage failed after it; the next attempt follows the cool-down.
            }
        }

        throw new InvalidOperationException("The provider had no fresh token after the token endpoint came back.");
    }

    private async Task<Call> TimedGetAsync()
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            using HttpResponseMessage response = await _api.GetAsync("orders").ConfigureAwait(false);
            return new Call(Stopwatch.GetElapsedTime(start).TotalMilliseconds, response.IsSuccessStatusCode);
        }
        catch (OAuth2TokenException)
        {
            return new Call(Stopwatch.GetElapsedTime(start).TotalMilliseconds, Succeeded: false);
        }
    }

    /// <summary>One API call: its latency (to the response, or to the exception) and whether it got a success status.</summary>
    private readonly record struct Call(double LatencyMs, bool Succeeded);

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(
            new ScenarioMetricColumn("Calls", "API calls measured (all outages but the first)"),
            new ScenarioMetricColumn("Failed calls", "Calls that threw OAuth2TokenException or got an error status (must be 0 with a valid token)"),
            new ScenarioMetricColumn("p50 ms", "Median call latency, to the response or to the exception"),
            new ScenarioMetricColumn("p99 ms", "99th percentile call latency (goal with no valid token: < 5 ms)"),
            new ScenarioMetricColumn("Max ms", "Slowest call"),
            new ScenarioMetricColumn("Token requests/outage", "Token requests the emulator received per outage (min-max)"),
            new ScenarioMetricColumn("Bound", "Most token requests the cool-downs allow in the outage"),
            new ScenarioMetricColumn("Per cool-down", "Most token requests within one cool-down period (must be 1)"),
            new ScenarioMetricColumn("Gap / floor", "Shortest time between token requests over the shortest cool-down allowed at that point (must be >= 1)"),
            new ScenarioMetricColumn("Gaps s (last)", "Clock seconds between consecutive token requests, last outage"));
    }
}
