using OAuth2Client.Testing;

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

    /// <summary>
    /// A <see cref="ClientCredentialsTokenProvider"/> with a cached token (valid for an hour), warmed against an
    /// emulator that is stopped again before returning, so no server thread runs while the hot path is measured.
    /// </summary>
    public static ClientCredentialsTokenProvider StartWarmProvider(out OAuth2Token token)
    {
        EmulatedOAuthServer server = Start();
        try
        {
            var provider = new ClientCredentialsTokenProvider(OptionsFor(server));
            token = provider.GetTokenAsync().AsTask().GetAwaiter().GetResult();
            if (server.TokenRequestCount != 1)
            {
                throw new InvalidOperationException($"Expected one token request while warming up, saw {server.TokenRequestCount}.");
            }

            return provider;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
