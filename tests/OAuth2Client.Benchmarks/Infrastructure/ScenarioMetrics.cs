using System.Globalization;
using System.Text.Json;
using BenchmarkDotNet.Running;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>
/// Numbers a scenario benchmark measures itself (token requests per herd, latency percentiles across an expiry),
/// which BenchmarkDotNet's timing statistics cannot express. The benchmark process writes them to a small JSON file
/// per benchmark case; the host process reads them into summary columns (<see cref="ScenarioMetricColumn"/>).
/// </summary>
internal static class ScenarioMetrics
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "OAuth2Client.Benchmarks", "metrics");

    /// <summary>Deletes the previous run's files, so a case that failed shows no stale numbers. Called by the host.</summary>
    public static void Reset()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    /// <summary>Records the metrics of one benchmark case; <paramref name="parameters"/> as in <see cref="KeyOf(BenchmarkCase)"/>.</summary>
    public static void Write(Type benchmarkType, string method, string parameters, IReadOnlyDictionary<string, string> metrics)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(PathOf(Key(benchmarkType.Name, method, parameters)), JsonSerializer.Serialize(metrics));
    }

    public static string? Read(BenchmarkCase benchmarkCase, string metric)
    {
        string path = PathOf(KeyOf(benchmarkCase));
        if (!File.Exists(path))
        {
            return null;
        }

        Dictionary<string, string>? metrics = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path));
        return metrics is not null && metrics.TryGetValue(metric, out string? value) ? value : null;
    }

    /// <summary>Parameters as <c>Name=Value</c> pairs joined by commas, in declaration order; empty without parameters.</summary>
    public static string KeyOf(BenchmarkCase benchmarkCase) => Key(
        benchmarkCase.Descriptor.Type.Name,
        benchmarkCase.Descriptor.WorkloadMethod.Name,
        string.Join(",", benchmarkCase.Parameters.Items.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name}={p.Value}"))));

    private static string Key(string type, string method, string parameters) => $"{type}.{method}({parameters})";

    private static string PathOf(string key)
    {
        char[] name = key.ToCharArray();
        for (int i = 0; i < name.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(name[i]) && name[i] is not ('.' or '-' or '='))
            {
                name[i] = '_';
            }
        }

        return Path.Combine(Folder, new string(name) + ".json");
    }
}
