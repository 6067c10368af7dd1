using BenchmarkDotNet.Attributes;
using OAuth2Client.Benchmarks.Infrastructure;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// Where the hot path's time goes beyond the floor: the provider's cached-token lookup on its own, and the clock
/// reads it could be built on. Explains <see cref="HotPathBenchmarks"/>; sets no goal.
/// </summary>
public class HotPathBreakdownBenchmarks
{
    private readonly TimeProvider _clock = TimeProvider.System;
    private ClientCredentialsTokenProvider _provider = null!;

    [GlobalSetup]
    public void Setup() => _provider = TokenServer.StartWarmProvider(out _);

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    /// <summary>The whole cached-token lookup: interface call, volatile read, clock read, compare.</summary>
    [Benchmark(Baseline = true)]
    public OAuth2Token ProviderGetTokenCached()
    {
        ValueTask<OAuth2Token> pending = _provider.GetTokenAsync();
        return pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("The token is not cached.");
    }

    /// <summary>The clock read the lookup does today (<see cref="TimeProvider.System"/>, wall clock).</summary>
    [Benchmark]
    public long SystemTimeProviderUtcNow() => _clock.GetUtcNow().UtcTicks;

    /// <summary>A monotonic alternative, also through <see cref="TimeProvider"/> (for the system clock: <c>Stopwatch.GetTimestamp</c>).</summary>
    [Benchmark]
    public long SystemTimeProviderTimestamp() => _clock.GetTimestamp();

    /// <summary>A coarse monotonic alternative (milliseconds).</summary>
    [Benchmark]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet calls benchmarks on an instance.")]
    public long EnvironmentTickCount64() => Environment.TickCount64;
}
