// Without dependency injection: wrap your own HttpClient with BearerTokenHandler.
// Usage: dotnet run --project samples/PlainHttpClient -- <token endpoint> <client id> <api base address>
// with the secret in the environment variable OAUTH2_CLIENT_SECRET. With no arguments it uses the embedded emulator.
using OAuth2Client;
using OAuth2Client.Testing;

EmulatedOAuthServer? emulator = null;
if (args.Length < 3)
{
    emulator = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, "legacy-app", "legacy-secret");
    Environment.SetEnvironmentVariable("OAUTH2_CLIENT_SECRET", "legacy-secret");
    args = [emulator.TokenEndpoint.AbsoluteUri, "legacy-app", emulator.ApiAddress.AbsoluteUri];
    Console.WriteLine($"No arguments: talking to the embedded RFC 6749 emulator at {emulator.BaseAddress}.");
}

// --- the part that goes into your app ---
var options = new OAuth2ClientOptions
{
    TokenEndpoint = new Uri(args[0]),
    ClientId = args[1],
    ClientSecret = Environment.GetEnvironmentVariable("OAUTH2_CLIENT_SECRET"),
};

using var api = new HttpClient(new BearerTokenHandler(options)) { BaseAddress = new Uri(args[2]) };
// ---

for (int i = 1; i <= 3; i++)
{
    using HttpResponseMessage response = await api.GetAsync("orders");
    Console.WriteLine($"GET orders #{i}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
}

if (emulator is not null)
{
    Console.WriteLine($"The emulator issued {emulator.TokenRequestCount} token(s) for {emulator.ApiRequestCount} API calls.");
    await emulator.DisposeAsync();
}
