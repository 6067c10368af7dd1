using Microsoft.Extensions.Configuration;
using OAuth2Client.Testing;

namespace OAuth2Client.Samples;

/// <summary>
/// Points a sample at the server named in its configuration section, or, when the section has no
/// <c>ServerAddress</c>, starts the embedded emulator of that vendor and fills the section in, so every sample runs
/// out of the box and says which server it is talking to.
/// </summary>
public static class SampleServer
{
    /// <summary>Ensures the section <paramref name="sectionName"/> names a server; returns the emulator it started, if any (dispose it at the end).</summary>
    /// <param name="configuration">The app's configuration.</param>
    /// <param name="sectionName">The section with ServerAddress, ClientId and ClientSecret.</param>
    /// <param name="emulated">The vendor behaviour to emulate.</param>
    /// <param name="start">How to start the emulator (default: <see cref="EmulatedOAuthServer.StartAsync(TokenEndpointBehavior, string, string, CancellationToken)"/> with <paramref name="emulated"/>).</param>
    public static async Task<EmulatedOAuthServer?> EnsureAsync(
        IConfigurationManager configuration,
        string sectionName,
        TokenEndpointBehavior emulated,
        Func<string, string, Task<EmulatedOAuthServer>>? start = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(emulated);
        IConfigurationSection section = configuration.GetSection(sectionName);
        if (!string.IsNullOrWhiteSpace(section["ServerAddress"]) || !string.IsNullOrWhiteSpace(section["TokenEndpoint"]))
        {
            Console.WriteLine($"Talking to {section["ServerAddress"] ?? section["TokenEndpoint"]} as client '{section["ClientId"]}' (from configuration).");
            return null;
        }

        const string clientId = "sample-client";
        string secret = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        EmulatedOAuthServer server = start is null
            ? await EmulatedOAuthServer.StartAsync(emulated, clientId, secret).ConfigureAwait(false)
            : await start(clientId, secret).ConfigureAwait(false);
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{sectionName}:ServerAddress"] = server.BaseAddress.AbsoluteUri,
            [$"{sectionName}:ClientId"] = clientId,
            [$"{sectionName}:ClientSecret"] = secret,
        });
        Console.WriteLine($"No {sectionName}:ServerAddress configured: talking to the embedded {emulated.Name} emulator at {server.BaseAddress}.");
        return server;
    }
}
