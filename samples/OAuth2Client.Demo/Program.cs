// OAuth2Client demo: runs with nothing but the .NET SDK.
//
// It starts emulators of the four vendors' token endpoints and APIs on 127.0.0.1 (strict about each wire format),
// registers one HttpClient per vendor with AddOAuth2ClientCredentials, and walks each through the token's life:
// first fetch, reuse, expiry and renewal, revocation (401 -> renew -> retry), and a wrong secret.
// Exit code 0 when every step behaved as expected, 1 otherwise.
// --verbose also prints the library's logs, metrics and traces through the OpenTelemetry console exporter.
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OAuth2Client;
using OAuth2Client.Demo;
using OAuth2Client.Testing;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

const string ClientId = "demo-client";
const string ClientSecret = "demo-secret-p@ss:w/rd";

var clock = new ManualClock();
Vendor[] vendors =
[
    new("PxPlus", Vendors.PxPlus, TokenEndpointProfile.PxPlus, "service.pxp?id=myQuery", o => { }),
    new("CentraSite", Vendors.CentraSite, TokenEndpointProfile.CentraSite, "OrdersVS/orders", o =>
    {
        o.Scope = "OrdersVS";
        o.ResponseFormat = TokenResponseFormat.Xml;
    }),
    new("Oracle ORDS", Vendors.Ords, TokenEndpointProfile.Ords, "employees/", o => o.Schema = "hr"),
    new("webMethods API Gateway", Vendors.WebMethodsApiGateway, TokenEndpointProfile.WebMethodsApiGateway, "orders", o => { }),
];

foreach (Vendor vendor in vendors)
{
    vendor.Server = await EmulatedOAuthServer.StartAsync(vendor.Behavior, ClientId, ClientSecret);
}

HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Services.AddSingleton<TimeProvider>(clock);
bool verbose = args.Contains("--verbose");
if (verbose)
{
    // What an app adds to see the library: its ActivitySource and its Meter, both named "OAuth2Client". Each demo step
    // is a span (in an app: the incoming request's), the parent of the token requests and renewals made on its path.
    builder.Services.AddOpenTelemetry()
        .WithTracing(tracing => tracing.AddSource("OAuth2Client", "OAuth2Client.Demo", "System.Net.Http").AddConsoleExporter())
        .WithMetrics(metrics => metrics.AddMeter("OAuth2Client").AddConsoleExporter());
    builder.Logging.SetMinimumLevel(LogLevel.Information).AddOpenTelemetry(logging => logging.AddConsoleExporter());
}

foreach (Vendor vendor in vendors)
{
    EmulatedOAuthServer server = vendor.Server!;
    foreach ((string name, string secret) in new[] { (vendor.Key, ClientSecret), (vendor.Key + "-wrong-secret", "not-the-secret") })
    {
        builder.Services
            .AddOAuth2ClientCredentials(name, o =>
            {
                o.Profile = vendor.Profile;
                o.ServerAddress = server.BaseAddress;
                o.ClientId = ClientId;
                o.ClientSecret = secret;
                o.MaxTokenRequestRetries = 0;
                vendor.Configure(o);
            })
            .ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);
    }
}

using IHost host = builder.Build();
await host.StartAsync(); // validates every client's options
IHttpClientFactory factory = host.Services.GetRequiredService<IHttpClientFactory>();

Console.WriteLine("OAuth2Client demo: four vendor emulators on 127.0.0.1, one HttpClient each via AddOAuth2ClientCredentials.");
var total = Stopwatch.StartNew();
int failures = 0;
foreach (Vendor vendor in vendors)
{
    var report = new Report(vendor, factory, clock);
    await report.RunAsync();
    failures += report.Failures;
    await vendor.Server!.DisposeAsync();
}

await host.StopAsync();
Console.WriteLine();
Console.WriteLine(failures == 0
    ? $"All steps behaved as expected ({total.ElapsedMilliseconds} ms)."
    : $"{failures} step(s) did not behave as expected ({total.ElapsedMilliseconds} ms).");
return failures == 0 ? 0 : 1;
