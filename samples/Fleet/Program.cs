// Fleet mode: N instances of one app, each with its own service provider and in-memory cache, share one token through
// Redis, so the token endpoint sees about one request per token lifetime instead of one per instance.
// Usage: dotnet run --project samples/Fleet [-- --instances 10 --seconds 8 --redis host:port]
// Without --redis it starts redis-server (from the PATH) on a free loopback port, and exits 0 with a message when none
// is installed. The token endpoint is the embedded emulator, issuing tokens that live 3 s.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OAuth2Client;
using OAuth2Client.Testing;

int instances = IntArg("--instances", 10);
int seconds = IntArg("--seconds", 8);
string? redis = Arg("--redis");
Process? redisProcess = null;
if (redis is null)
{
    string? redisServer = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists);
    if (redisServer is null)
    {
        Console.WriteLine("No Redis available: redis-server is not installed and no --redis host:port was given. Nothing to show; exiting.");
        return 0;
    }

    (redisProcess, redis) = await StartRedisAsync(redisServer);
    Console.WriteLine($"Started redis-server on {redis} (process {redisProcess.Id}).");
}

await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, "fleet-app", "fleet-secret");
server.TokenLifetimeSeconds = 3;

// Every instance must use the same key; a real app reads it from its secret store.
string key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
var providers = new List<ServiceProvider>();
try
{
    for (int i = 0; i < instances; i++)
    {
        // --- the part that goes into your app ---
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddSimpleConsole(c => c.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        services.AddStackExchangeRedisCache(o => o.Configuration = redis + ",abortConnect=false");
        services.AddOAuth2ClientCredentials("api", o =>
            {
                o.TokenEndpoint = server.TokenEndpoint;
                o.ClientId = "fleet-app";
                o.ClientSecret = "fleet-secret";
                o.AllowInsecureHttp = true; // the emulator is plain HTTP on loopback
            })
            .ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress)
            .UseDistributedTokenCache(o => o.EncryptionKey = key);
        // ---
        providers.Add(services.BuildServiceProvider());
    }

    int failed = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(providers.Select(async p =>
    {
        HttpClient api = p.GetRequiredService<IHttpClientFactory>().CreateClient("api");
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            try
            {
                using HttpResponseMessage response = await api.GetAsync("orders");
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failed);
            }

            await Task.Delay(50);
        }
    }));

    double lifetimes = clock.Elapsed.TotalSeconds / server.TokenLifetimeSeconds!.Value;
    Console.WriteLine($"{instances} instances made {server.ApiRequestCount} API calls ({failed} failed) over {clock.Elapsed.TotalSeconds:0.0} s, {lifetimes:0.0} token lifetimes.");
    Console.WriteLine($"Token requests: {server.TokenRequestCount} ({server.TokenRequestCount / lifetimes:0.0} per lifetime); without fleet mode every instance asks: about {instances} per lifetime.");
    return failed == 0 ? 0 : 1;
}
finally
{
    foreach (ServiceProvider provider in providers)
    {
        await provider.DisposeAsync();
    }

    if (redisProcess is not null)
    {
        redisProcess.Kill();
        await redisProcess.WaitForExitAsync();
        redisProcess.Dispose();
    }
}

string? Arg(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

int IntArg(string name, int fallback) => int.TryParse(Arg(name), out int value) && value > 0 ? value : fallback;

static async Task<(Process, string)> StartRedisAsync(string executable)
{
    int port;
    using (var listener = new TcpListener(IPAddress.Loopback, 0))
    {
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true };
    foreach (string arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
    {
        start.ArgumentList.Add(arg);
    }

    Process process = Process.Start(start)!;
    process.OutputDataReceived += static (_, _) => { };
    process.BeginOutputReadLine();
    for (int attempt = 0; ; attempt++)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return (process, $"127.0.0.1:{port}");
        }
        catch (SocketException) when (attempt < 200)
        {
            await Task.Delay(25);
        }
    }
}
