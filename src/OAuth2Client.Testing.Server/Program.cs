using System.Globalization;
using System.Runtime.InteropServices;
using OAuth2Client.Testing;

namespace OAuth2Client.Testing.Server;

/// <summary>
/// Starts the four vendor emulators, prints their URLs and the credentials they accept, and runs until Ctrl+C (or SIGTERM).
/// Options: <c>--port N</c> (PxPlus on N, CentraSite on N+1, API Gateway on N+2, ORDS on N+3; free ports by default),
/// <c>--client-id ID</c>, <c>--client-secret SECRET</c>, <c>--token-lifetime SECONDS</c>.
/// </summary>
public static class Program
{
    /// <summary>The line printed once every emulator listens (scripts and tests wait for it).</summary>
    public const string ReadyLine = "Ready. Press Ctrl+C to stop.";

    /// <summary>The entry point.</summary>
    /// <param name="args">Command-line options.</param>
    /// <returns>0 after Ctrl+C, 1 when a port is taken, 2 for bad options.</returns>
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        return await RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
    }

    /// <summary>Runs the server until <paramref name="stop"/> is cancelled, writing its banner to <paramref name="output"/>.</summary>
    /// <param name="args">Command-line options.</param>
    /// <param name="output">Where the URLs go.</param>
    /// <param name="error">Where usage errors go.</param>
    /// <param name="stop">Stops the server.</param>
    /// <returns>0 when stopped, 1 when a port is taken, 2 for bad options.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string clientId = EmulatedOAuthServer.DefaultClientId;
        string clientSecret = EmulatedOAuthServer.DefaultClientSecret;
        int port = 0;
        int? lifetime = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            bool ok = args[i] switch
            {
                "--port" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65532,
                "--client-id" => (clientId = value ?? string.Empty).Length > 0,
                "--client-secret" => (clientSecret = value ?? string.Empty).Length > 0,
                "--token-lifetime" => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) && (lifetime = seconds) > 0,
                "-h" or "--help" => false,
                _ => false,
            };
            if (!ok)
            {
                await error.WriteLineAsync(
                    "usage: oauth2client-emulators [--port N] [--client-id ID] [--client-secret SECRET] [--token-lifetime SECONDS]\n"
                    + "  --port N   PxPlus on N, CentraSite on N+1, webMethods API Gateway on N+2, Oracle ORDS on N+3 (default: free ports)").ConfigureAwait(false);
                return 2;
            }

            i++;
        }

        VendorEmulators emulators;
        try
        {
            emulators = await VendorEmulators.StartAsync(clientId, clientSecret, port, stop).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"Cannot listen on 127.0.0.1: {e.Message} Choose another --port, or leave it out for free ports.").ConfigureAwait(false);
            return 1;
        }

        await using VendorEmulators running = emulators;
        if (lifetime is { } l)
        {
            foreach (EmulatedOAuthServer server in emulators.All)
            {
                server.TokenLifetimeSeconds = l;
            }
        }

        await output.WriteLineAsync(Banner(emulators, clientId, clientSecret)).ConfigureAwait(false);
        await output.WriteLineAsync(ReadyLine).ConfigureAwait(false);
        await output.FlushAsync(stop).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await output.WriteLineAsync("Stopping.").ConfigureAwait(false);
        return 0;
    }

    private static string Banner(VendorEmulators emulators, string clientId, string clientSecret)
    {
        static string Line(string label, object value) => $"  {label,-16}{value}";
        string apiGatewayAuthorize = emulators.WebMethodsApiGateway.AuthorizationEndpoint.AbsoluteUri;
        return string.Join('\n',
        [
            "OAuth2Client vendor emulators (strict fakes of each vendor's wire format; tokens in memory only)",
            Line("client id:", clientId),
            Line("client secret:", clientSecret),
            string.Empty,
            "PxPlus",
            Line("token endpoint:", emulators.PxPlus.TokenEndpoint),
            Line("API:", new Uri(emulators.PxPlus.BaseAddress, "services/service.pxp?id=myQuery")),
            Line("profile:", $"Profile=PxPlus, ServerAddress={emulators.PxPlus.BaseAddress}"),
            string.Empty,
            "CentraSite / webMethods Mediator",
            Line("token endpoint:", emulators.CentraSite.TokenEndpoint),
            Line("API:", emulators.CentraSite.ApiAddress + "<anything> (echoes method, path and body hash)"),
            Line("profile:", $"Profile=CentraSite, ServerAddress={emulators.CentraSite.BaseAddress}"),
            string.Empty,
            "webMethods API Gateway",
            Line("token endpoint:", emulators.WebMethodsApiGateway.TokenEndpoint),
            Line("authorize:", apiGatewayAuthorize + " (redirect to http://127.0.0.1:<any port>/callback)"),
            Line("API:", emulators.WebMethodsApiGateway.ApiAddress + "<anything> (echoes method, path and body hash)"),
            Line("profile:", $"Profile=WebMethodsApiGateway, ServerAddress={emulators.WebMethodsApiGateway.BaseAddress}"),
            string.Empty,
            "Oracle ORDS (schema alias hr)",
            Line("token endpoint:", emulators.Ords.TokenEndpoint),
            Line("API:", new Uri(emulators.Ords.ApiAddress, "employees/")),
            Line("profile:", $"Profile=Ords, ServerAddress={emulators.Ords.BaseAddress}, Schema=hr"),
            string.Empty,
        ]);
    }
}
