using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OAuth2Client.Benchmarks.Infrastructure;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Goal 3 measured under the same conditions for both variants: every invocation runs rounds of two equal batches,
/// one through the plain client and one through <see cref="BearerTokenHandler"/>, alternating which goes first, and
/// times each batch. Background load on the machine then slows both variants alike, where the separate processes of
/// <see cref="EndToEndBenchmarks"/> can catch it in one and not the other. The ratio per round is the plain batch's
/// time over the handler's (the handler's throughput relative to plain); the columns give the median and quartiles
/// over all rounds except the first invocation's (JIT). Mean is the time per request, both variants together.
/// </summary>
[Config(typeof(Columns))]
public class EndToEndPairedBenchmarks
{
    private const int RequestsPerBatch = 256;
    private const int RoundsPerInvocation = 4;

    private readonly List<double> _roundRatios = [];
    private EndToEndFixture _fixture = null!;
    private long _plainTicks;
    private long _bearerTicks;
    private int _invocations;

    /// <summary>Concurrent callers, each sending its share of a batch one after another.</summary>
    [Params(1, 32)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new EndToEndFixture();
        _fixture.Warm(Callers);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fixture.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_roundRatios.Count == 0)
        {
            return;
        }

        double[] sorted = [.. _roundRatios.Order()];
        double median = Percentile(sorted, 0.5);
        (double low, double high) = MedianConfidenceInterval(sorted);
        double total = (double)_plainTicks / _bearerTicks;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Paired throughput ratio (Callers={Callers}): {sorted.Length} rounds, median {median:0.000} (95% CI {low:0.000}-{high:0.000}), quartiles {Percentile(sorted, 0.25):0.000}-{Percentile(sorted, 0.75):0.000}, total plain time / total handler time {total:0.000}"));
        ScenarioMetrics.Write(typeof(EndToEndPairedBenchmarks), nameof(AlternatingBatches), $"{nameof(Callers)}={Callers}", new Dictionary<string, string>
        {
            ["Rounds"] = sorted.Length.ToString(CultureInfo.InvariantCulture),
            ["Throughput ratio (median)"] = median.ToString("0.000", CultureInfo.InvariantCulture),
            ["95% CI"] = string.Create(CultureInfo.InvariantCulture, $"{low:0.000}-{high:0.000}"),
            ["Q1-Q3"] = string.Create(CultureInfo.InvariantCulture, $"{Percentile(sorted, 0.25):0.000}-{Percentile(sorted, 0.75):0.000}"),
        });
    }

    [Benchmark(OperationsPerInvoke = 2 * RoundsPerInvocation * RequestsPerBatch)]
    public async Task AlternatingBatches()
    {
        bool record = _invocations++ > 0;
        for (int round = 0; round < RoundsPerInvocation; round++)
        {
            bool plainFirst = round % 2 == 0;
            long first = await TimeBatchAsync(plainFirst ? _fixture.Plain : _fixture.Bearer).ConfigureAwait(false);
            long second = await TimeBatchAsync(plainFirst ? _fixture.Bearer : _fixture.Plain).ConfigureAwait(false);
            (long plain, long bearer) = plainFirst ? (first, second) : (second, first);
            if (record)
            {
                _plainTicks += plain;
                _bearerTicks += bearer;
                _roundRatios.Add((double)plain / bearer);
            }
        }
    }

    private async Task<long> TimeBatchAsync(HttpClient client)
    {
        long start = Stopwatch.GetTimestamp();
        await EndToEndFixture.SendAsync(client, Callers, RequestsPerBatch).ConfigureAwait(false);
        return Stopwatch.GetTimestamp() - start;
    }

    /// <summary>Linear interpolation between the closest ranks of a sorted sample.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        double rank = p * (sorted.Length - 1);
        int low = (int)Math.Floor(rank);
        int high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }

    /// <summary>Distribution-free 95% confidence interval of the median: the order statistics n/2 -/+ 0.98 sqrt(n).</summary>
    private static (double Low, double High) MedianConfidenceInterval(double[] sorted)
    {
        double halfWidth = 0.98 * Math.Sqrt(sorted.Length);
        int low = Math.Max(0, (int)Math.Floor((sorted.Length / 2.0) - halfWidth));
        int high = Math.Min(sorted.Length - 1, (int)Math.Ceiling((sorted.Length / 2.0) + halfWidth));
        return (sorted[low], sorted[high]);
    }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(
            new ScenarioMetricColumn("Rounds", "Rounds measured (each: one plain batch and one handler batch)"),
            new ScenarioMetricColumn("Throughput ratio (median)", "Median over rounds of plain batch time / handler batch time; the goal is >= 0.97"),
            new ScenarioMetricColumn("95% CI", "Distribution-free 95% confidence interval of that median"),
            new ScenarioMetricColumn("Q1-Q3", "First and third quartiles of the per-round ratio (the spread of single rounds)"));
    }
}
