namespace OAuth2Client.Testing;

/// <summary>
/// The four vendor emulators at once, each on its own loopback port with the same client credentials: what the
/// standalone server (<c>OAuth2Client.Testing.Server</c>) runs, and handy for a test fixture that covers every vendor.
/// </summary>
/// <example>
/// <code>
/// await using VendorEmulators emulators = await VendorEmulators.StartAsync();
/// Uri ords = emulators.Ords.TokenEndpoint;
/// </code>
/// </example>
public sealed class VendorEmulators : IAsyncDisposable
{
    private VendorEmulators(EmulatedOAuthServer pxPlus, EmulatedOAuthServer centraSite, EmulatedOAuthServer webMethodsApiGateway, EmulatedOAuthServer ords)
    {
        PxPlus = pxPlus;
        CentraSite = centraSite;
        WebMethodsApiGateway = webMethodsApiGateway;
        Ords = ords;
    }

    /// <summary>PxPlus Web Services (<see cref="Vendors.PxPlus"/>).</summary>
    public EmulatedOAuthServer PxPlus { get; }

    /// <summary>CentraSite / webMethods Mediator (<see cref="Vendors.CentraSite"/>).</summary>
    public EmulatedOAuthServer CentraSite { get; }

    /// <summary>webMethods API Gateway (<see cref="Vendors.WebMethodsApiGateway"/>): client credentials, and authorization code + PKCE.</summary>
    public EmulatedOAuthServer WebMethodsApiGateway { get; }

    /// <summary>Oracle ORDS, schema alias <c>hr</c> (<see cref="Vendors.Ords"/>).</summary>
    public EmulatedOAuthServer Ords { get; }

    /// <summary>The four servers, in the order PxPlus, CentraSite, webMethods API Gateway, Oracle ORDS.</summary>
    public IReadOnlyList<EmulatedOAuthServer> All => [PxPlus, CentraSite, WebMethodsApiGateway, Ords];

    /// <summary>Starts the four emulators on free loopback ports; they accept <see cref="EmulatedOAuthServer.DefaultClientId"/> and <see cref="EmulatedOAuthServer.DefaultClientSecret"/>.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started emulators; dispose them to stop them.</returns>
    public static Task<VendorEmulators> StartAsync(CancellationToken cancellationToken = default)
        => StartAsync(EmulatedOAuthServer.DefaultClientId, EmulatedOAuthServer.DefaultClientSecret, 0, cancellationToken);

    /// <summary>Starts the four emulators with these client credentials.</summary>
    /// <param name="clientId">The client id every emulator accepts.</param>
    /// <param name="clientSecret">The client secret every emulator accepts.</param>
    /// <param name="firstPort">0 for free ports; otherwise PxPlus listens on this port, CentraSite on the next, then API Gateway, then ORDS.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started emulators; dispose them to stop them.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstPort"/> is negative or above 65532.</exception>
    /// <exception cref="IOException">A port is taken (only with a <paramref name="firstPort"/>); the emulators already started are stopped.</exception>
    public static async Task<VendorEmulators> StartAsync(string clientId, string clientSecret, int firstPort = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstPort);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstPort, 65535 - 3);
        var started = new List<EmulatedOAuthServer>(4);
        try
        {
            TokenEndpointBehavior[] behaviors = [Vendors.PxPlus, Vendors.CentraSite, Vendors.WebMethodsApiGateway, Vendors.Ords];
            for (int i = 0; i < behaviors.Length; i++)
            {
                started.Add(await EmulatedOAuthServer.StartOnPortAsync(behaviors[i], clientId, clientSecret, firstPort == 0 ? 0 : firstPort + i, cancellationToken).ConfigureAwait(false));
            }

            EmulatedOAuthServer.ConfigureWebMethodsApiGateway(started[2]);
            return new VendorEmulators(started[0], started[1], started[2], started[3]);
        }
        catch
        {
            foreach (EmulatedOAuthServer server in started)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Stops the four servers.</summary>
    /// <returns>A task that completes when they have stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        foreach (EmulatedOAuthServer server in All)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
