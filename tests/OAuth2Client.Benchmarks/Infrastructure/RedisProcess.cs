using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>A <c>redis-server</c> from the PATH on a free loopback port, persistence off, stopped by its process id.</summary>
internal sealed class RedisProcess : IDisposable
{
    private readonly Process _process;

    private RedisProcess(Process process, int port)
    {
        _process = process;
        Configuration = $"127.0.0.1:{port},abortConnect=false,allowAdmin=true";
    }

    public string Configuration { get; }

    public static RedisProcess Start()
    {
        string executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "redis-server")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("The fleet benchmarks need redis-server on the PATH (apt-get install -y redis-server).");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (string arg in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
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
                client.Connect(IPAddress.Loopback, port);
                return new RedisProcess(process, port);
            }
            catch (SocketException) when (attempt < 400)
            {
                Thread.Sleep(25);
            }
        }
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit();
        _process.Dispose();
    }
}
