// webMethods API Gateway sample: signs a user in with authorization code + PKCE in the browser (RFC 8252 loopback
// redirect), then calls a protected API with tokens that are refreshed past their expiry.
// Configure ApiGateway:ServerAddress/ClientId/ClientSecret/Scope and ApiBaseAddress (appsettings.json, environment
// variables such as ApiGateway__ClientSecret, or --ApiGateway:ServerAddress=https://gateway.example.com:5543); register
// http://127.0.0.1/callback (any port) as the application's redirect URI. With no ServerAddress it uses the embedded
// emulator, which approves the sign-in at once and issues 4-second tokens so the refresh shows within seconds.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OAuth2Client;
using OAuth2Client.Testing;
using OAuth2Client.Samples;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
await using EmulatedOAuthServer? emulator = await SampleServer.EnsureAsync(
    builder.Configuration, "ApiGateway", Vendors.WebMethodsApiGateway, (id, secret) => EmulatedOAuthServer.StartWebMethodsApiGatewayAsync(id, secret));

var options = new OAuth2ClientOptions();
builder.Configuration.GetSection("ApiGateway").Bind(options);
string apiBase = builder.Configuration["ApiBaseAddress"] is { Length: > 0 } configured
    ? configured
    : options.ServerAddress!.AbsoluteUri.TrimEnd('/') + "/gateway/";

var signIn = new LoopbackSignInOptions { Port = builder.Configuration.GetValue("SignInPort", 0) }; // 0: any free port
if (emulator is not null)
{
    emulator.TokenLifetimeSeconds = 4;
    signIn.OpenBrowser = FollowRedirectsLikeABrowserAsync; // a real gateway shows its login page in your browser instead
}

// The refresh token is a credential: this sample keeps it in memory only. Persist it (encrypted) with your own IRefreshTokenStore.
using var tokens = new AuthorizationCodeTokenProvider(options, new InMemoryRefreshTokenStore());
try
{
    await tokens.GetTokenAsync();
}
catch (OAuth2SignInRequiredException)
{
    Console.WriteLine("Signing in: opening the browser (or printing the URL to open)...");
    OAuth2Token signedIn = await tokens.SignInAsync(signIn);
    Console.WriteLine($"Signed in: {signedIn}");
}

using var api = new HttpClient(new BearerTokenHandler(tokens) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = new Uri(apiBase) };
int calls = builder.Configuration.GetValue("Calls", 4);
var pause = TimeSpan.FromSeconds(builder.Configuration.GetValue("SecondsBetweenCalls", 2.0));
string path = builder.Configuration["ApiPath"] ?? "orders";
for (int i = 1; i <= calls; i++)
{
    using HttpResponseMessage response = await api.GetAsync(path);
    OAuth2Token current = await tokens.GetTokenAsync();
    Console.WriteLine($"{DateTime.Now:HH:mm:ss} GET {path}: {(int)response.StatusCode}; token expires {current.ExpiresAt.ToLocalTime():HH:mm:ss}");
    if (i < calls)
    {
        await Task.Delay(pause);
    }
}

if (emulator is not null)
{
    Console.WriteLine($"The emulator saw {emulator.AuthorizationCode.AuthorizeRequestCount} sign-in, {emulator.AuthorizationCode.RefreshRequestCount} refresh(es) and {emulator.ApiRequestCount} API calls.");
}

// Stands in for the user's browser against the emulator: follows the authorize endpoint's redirect to our loopback listener.
static async Task FollowRedirectsLikeABrowserAsync(Uri authorizeUrl, CancellationToken cancellationToken)
{
    using var browser = new HttpClient();
    using HttpResponseMessage page = await browser.GetAsync(authorizeUrl, cancellationToken);
    Console.WriteLine($"Embedded emulator approved the sign-in; the loopback listener answered {(int)page.StatusCode}.");
}
