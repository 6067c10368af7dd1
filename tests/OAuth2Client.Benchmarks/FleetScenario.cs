using System.Diagnostics;
using System.Globalization;
using OAuth2Client.Benchmarks.Infrastructure;
using OAuth2Client.Testing;
using StackExchange.Redis;

namespace OAuth2Client.Benchmarks;

/// <summary>
/// The 20-instance scenario over several token lifetimes, in real time (BenchmarkDotNet measures operations, not this):
/// 20 instances, each its own Redis connection and in-process cache, start cold at once, then two callers per instance
/// ask for the token every 10 ms for <c>--seconds</c>, with tokens that live <c>--lifetime</c> seconds. Prints the token
/// requests at the cold start and per lifetime, for fleet mode off (the behaviour before it) and on (both locks), each
/// <c>--runs</c> times. Run: <c>dotnet run -c Release --project tests/OAuth2Client.Benchmarks -- --fleet-scenario</c>.
/// </summary>
internal static class FleetScenario
{
    private const int Instances = 20;

    public static async Task<int> RunAsync(string[] args)
    {
        int seconds = Arg(args, "--seconds", 40);
        int lifetime = Arg(args, "--lifetime", 4);
        int runs = Arg(args, "--runs", 2);
        using RedisProcess redis = RedisProcess.Start();
        using ConnectionMultiplexer admin = await ConnectionMultiplexer.ConnectAsync(redis.Configuration).ConfigureAwait(false);
        Console.WriteLine($"{Instances} instances, tokens living {lifetime} s, {seconds} s of traffic (2 callers per instance, every 10 ms), {runs} run(s) per mode");
        Console.WriteLine();
        Console.WriteLine("| Fleet mode | Run | Cold start: token requests | Token requests in total | Lifetimes | Per lifetime | Failed calls |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (FleetMode mode in Enum.GetValues<FleetMode>())
        {
            for (int run = 1; run <= runs; run++)
            {
                await admin.GetServer(admin.GetEndPoints()[0]).FlushDatabaseAsync().ConfigureAwait(false);
                await RunOnceAsync(mode, run, redis.Configuration, seconds, lifetime).ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task RunOnceAsync(FleetMode mode, int run, string redisConfiguration, int seconds, int lifetime)
    {
        await using EmulatedOAuthServer server = TokenServer.Start();
        server.TokenLifetimeSeconds = lifetime;
        using var tokenHttp = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        FleetMember[] members = [.. Enumerable.Range(0, Instances).Select(_ => new FleetMember(mode, redisConfiguration))];
        ClientCredentialsTokenProvider[] providers = [.. members.Select(m => m.CreateProvider(TokenServer.OptionsFor(server), tokenHttp))];
        int failed = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(providers.Select(p => Task.Run(() => p.GetTokenAsync().AsTask()))).ConfigureAwait(false);
            int coldStart = server.TokenRequestCount;
            async Task Caller(ClientCredentialsTokenProvider provider)
            {
                while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
                {
                    try
                    {
                        _ = await provider.GetTokenAsync().ConfigureAwait(false);
                    }
                    catch (OAuth2TokenException)
                    {
                        Interlocked.Increment(ref failed);
                    }

                    await Task.Delay(10).ConfigureAwait(false);
                }
            }

            await Task.WhenAll(providers.SelectMany(p => new[] { Caller(p), Caller(p) })).ConfigureAwait(false);
            double lifetimes = clock.Elapsed.TotalSeconds / lifetime;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {mode} | {run} | {coldStart} | {server.TokenRequestCount} | {lifetimes:0.0} | {server.TokenRequestCount / lifetimes:0.0} | {failed} |"));
        }
        finally
        {
            Array.ForEach(providers, p => p.Dispose());
            Array.ForEach(members, m => m.Dispose());
        }
    }

    private static int Arg(string[] args, string name, int fallback)
        => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
