using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, persistence off, for the fleet tests. Started from the PATH; when
/// it is missing the test is skipped with the reason, except under <c>CI=true</c>, where it fails (CI installs it).
/// Stopped by its process id; <see cref="StopAsync"/> and <see cref="RestartAsync"/> simulate an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string _executable;
    private Process? _process;

    private RedisServer(string executable, int port)
    {
        _executable = executable;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string: short timeouts, no abort when the server is down.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false,connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000,connectRetry=1";

    /// <summary>Starts a server, or skips the test (fails it under CI) when <c>redis-server</c> is not installed.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        string? executable = Find();
        if (executable is null)
        {
            const string reason = "redis-server is not on the PATH (install it: apt-get install -y redis-server); the fleet tests need a real Redis.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason + " Under CI this is a failure: .ci/run installs it.");
            }

            Skip.If(true, reason);
        }

        var server = new RedisServer(executable!, FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server again on the same port (after <see cref="StopAsync"/>) and waits until it answers PING.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await PingAsync())
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode}.");
            }

            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Stops the server (by its process id) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
            byte[] buffer = new byte[16];
            int read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private static string? Find()
        => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
