using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>A summary column filled from <see cref="ScenarioMetrics"/>: what the benchmark process recorded for the case.</summary>
internal sealed class ScenarioMetricColumn(string metric, string legend) : IColumn
{
    public string Id => nameof(ScenarioMetricColumn) + "." + metric;

    public string ColumnName => metric;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => ScenarioMetrics.Read(benchmarkCase, metric) ?? "-";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}

/// <summary>
/// Requests per second from the mean time per operation, for benchmarks whose operation is one request
/// (<c>OperationsPerInvoke</c> set to the number of requests an invocation makes), and the same relative to the baseline.
/// </summary>
internal sealed class ThroughputColumn(bool relativeToBaseline) : IColumn
{
    public string Id => nameof(ThroughputColumn) + (relativeToBaseline ? ".Ratio" : ".Absolute");

    public string ColumnName => relativeToBaseline ? "Throughput ratio" : "Requests/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => relativeToBaseline ? 2 : 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => relativeToBaseline
        ? "Requests/s divided by the baseline's requests/s (the baseline's mean time over this one's)"
        : "Requests completed per second, all callers together (1 s / Mean)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (mean is not > 0)
        {
            return "-";
        }

        if (!relativeToBaseline)
        {
            return (1e9 / mean.Value).ToString("N0", CultureInfo.InvariantCulture);
        }

        BenchmarkCase? baseline = summary.GetBaseline(summary.GetLogicalGroupKey(benchmarkCase));
        double? baselineMean = baseline is null ? null : summary[baseline]?.ResultStatistics?.Mean;
        return baselineMean is > 0 ? (baselineMean.Value / mean.Value).ToString("0.000", CultureInfo.InvariantCulture) : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
