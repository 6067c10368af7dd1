using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OAuth2Client.Benchmarks.Infrastructure;

// The host process: BenchmarkDotNet builds and starts a child process per benchmark case.
// How to run, quick mode, and what each benchmark means: docs/benchmarks.md.
if (args.Contains("--fleet-scenario"))
{
    // Not a BenchmarkDotNet run: the 20-instance scenario over several token lifetimes, in real time.
    return await OAuth2Client.Benchmarks.FleetScenario.RunAsync(args);
}

ScenarioMetrics.Reset();
Summary[] summaries = [.. BenchmarkSwitcher.FromAssembly(typeof(ScenarioMetrics).Assembly).Run(args)];

// BenchmarkDotNet exits 0 even when a benchmark throws; CI's dry run needs a failing exit code.
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
bool filteredToNothing = summaries.Length == 0
    && args.Any(a => a is "--filter" or "-f")
    && !args.Any(a => a is "--list" or "--help" or "-h" or "--version");
if (failed || filteredToNothing)
{
    Console.Error.WriteLine(failed ? "At least one benchmark failed." : "The filter matched no benchmark.");
    return 1;
}

return 0;
