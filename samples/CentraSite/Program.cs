// CentraSite / webMethods Mediator sample: gets tokens for two virtual services (scopes), one answered in JSON and
// one in XML, and calls a virtual service. Configure CentraSite:* in appsettings.json, environment variables or arguments; with
// no ServerAddress it uses the embedded emulator. The API base is {ServerAddress}/ws/ (Mediator's default) unless
// ApiAddress is set.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OAuth2Client;
using OAuth2Client.Testing;
using OAuth2Client.Samples;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
await using EmulatedOAuthServer? emulator = await SampleServer.EnsureAsync(builder.Configuration, "CentraSite", Vendors.CentraSite);
IConfigurationSection section = builder.Configuration.GetSection("CentraSite");
var apiAddress = new Uri(builder.Configuration["ApiAddress"] ?? section["ServerAddress"]!.TrimEnd('/') + "/ws/");

builder.Services.AddOAuth2ClientCredentials("centrasite-json", section).ConfigureHttpClient(http => http.BaseAddress = apiAddress);
builder.Services.AddOAuth2ClientCredentials("centrasite-xml", section)
    .ConfigureHttpClient(http => http.BaseAddress = apiAddress);
builder.Services.Configure<OAuth2ClientOptions>("centrasite-xml", o =>
{
    o.Scope = builder.Configuration["XmlScope"] ?? "InvoicesVS";
    o.ResponseFormat = TokenResponseFormat.Xml;
});

using IHost host = builder.Build();
await host.StartAsync();
foreach (string client in new[] { "centrasite-json", "centrasite-xml" })
{
    OAuth2Token token = await host.Services.GetRequiredKeyedService<IOAuth2TokenProvider>(client).GetTokenAsync();
    Console.WriteLine($"{client}: {token}");
}

string path = builder.Configuration["ServicePath"] ?? "OrdersVS/orders";
HttpClient api = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("centrasite-json");
Console.WriteLine($"GET {path}: {await api.GetStringAsync(path)}");
await host.StopAsync();
