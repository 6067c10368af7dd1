using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OAuth2Client.Testing.Tests;

/// <summary>The standalone server (<c>OAuth2Client.Testing.Server</c>) as a user runs it: a process that prints URLs.</summary>
public sealed class StandaloneServerTests
{
    [Fact]
    public async Task Process_PrintsUrlsAndCredentials_AndTheOrdsEmulatorAnswersAtThePrintedUrl()
    {
        string dll = typeof(OAuth2Client.Testing.Server.Program).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { dll, "--client-id", "cli-app", "--client-secret", "cli-secret", "--token-lifetime", "120" })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var banner = new List<string>();
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line && line != OAuth2Client.Testing.Server.Program.ReadyLine)
            {
                banner.Add(line);
            }

            Assert.True(banner.Count > 0, $"no output; exited: {process.HasExited}; stderr: {Locked(errors)}");
            Assert.Contains(banner, l => l.Contains("client id:", StringComparison.Ordinal) && l.EndsWith("cli-app", StringComparison.Ordinal));
            Assert.Contains(banner, l => l.Contains("client secret:", StringComparison.Ordinal) && l.EndsWith("cli-secret", StringComparison.Ordinal));
            Assert.Equal(4, banner.Count(l => l.TrimStart().StartsWith("token endpoint:", StringComparison.Ordinal)));

            int ords = banner.IndexOf("Oracle ORDS (schema alias hr)");
            Uri tokenEndpoint = new(Value(banner[ords + 1], "token endpoint:"));
            Uri employees = new(Value(banner[ords + 2], "API:"));
            using var http = new HttpClient();
            using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
            };
            tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("cli-app:cli-secret")));
            using HttpResponseMessage tokenResponse = await http.SendAsync(tokenRequest, timeout.Token);
            using JsonDocument token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync(timeout.Token));
            Assert.Equal(120, token.RootElement.GetProperty("expires_in").GetInt32());

            using var apiRequest = new HttpRequestMessage(HttpMethod.Get, employees);
            apiRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("access_token").GetString());
            using HttpResponseMessage api = await http.SendAsync(apiRequest, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, api.StatusCode);
            Assert.Contains("\"ename\":\"SMITH\"", await api.Content.ReadAsStringAsync(timeout.Token), StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task RunAsync_StopsWhenCancelled_AndReturnsZero()
    {
        using var output = new StringWriter();
        TextWriter synchronized = TextWriter.Synchronized(output); // written by the server, read here: its lock is the writer itself
        using var stop = new CancellationTokenSource();
        Task<int> run = OAuth2Client.Testing.Server.Program.RunAsync([], synchronized, TextWriter.Null, stop.Token);
        await WaitForAsync(() => { lock (synchronized) { return output.ToString().Contains(OAuth2Client.Testing.Server.Program.ReadyLine, StringComparison.Ordinal); } }, run);

        await stop.CancelAsync();

        Assert.Equal(0, await run);
        Assert.Contains("client secret:  " + EmulatedOAuthServer.DefaultClientSecret, output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port")]
    [InlineData("--port", "x")]
    [InlineData("--bogus")]
    [InlineData("--help")]
    public async Task RunAsync_BadOptions_PrintsUsageAndReturnsTwo(params string[] args)
    {
        using var error = new StringWriter();

        int exit = await OAuth2Client.Testing.Server.Program.RunAsync(args, TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.StartsWith("usage: oauth2client-emulators", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PortTaken_SaysSoAndReturnsOne()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var error = new StringWriter();

        int exit = await OAuth2Client.Testing.Server.Program.RunAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], TextWriter.Null, error, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.StartsWith("Cannot listen on 127.0.0.1:", error.ToString(), StringComparison.Ordinal);
    }

    private static string Locked(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private static string Value(string line, string label)
    {
        string trimmed = line.Trim();
        Assert.StartsWith(label, trimmed, StringComparison.Ordinal);
        return trimmed[label.Length..].Trim();
    }

    private static async Task WaitForAsync(Func<bool> condition, Task running)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.False(running.IsCompleted, "the server stopped before it was ready");
            await Task.Delay(5, timeout.Token);
        }
    }
}
