using OAuth2Client.Emulator;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>Starts the loopback token endpoint (the emulator, RFC 6749 dialect) and builds client options for it.</summary>
internal static class TokenServer
{
    public const string ClientId = "bench-client";
    public const string ClientSecret = "bench-secret";

    public static EmulatedOAuthServer Start()
        => EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, ClientId, ClientSecret).GetAwaiter().GetResult();

    public static OAuth2ClientOptions OptionsFor(EmulatedOAuthServer server) => new()
    {
        TokenEndpoint = server.TokenEndpoint,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        // A failed token request must fail the benchmark, not hide behind retries.
        MaxTokenRequestRetries = 0,
    };
}
