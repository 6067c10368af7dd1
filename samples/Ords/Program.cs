// Oracle ORDS sample: lists the rows of a REST-enabled table.
// Configure Ords:ServerAddress/Schema/ClientId/ClientSecret (appsettings.json, environment variables such as
// Ords__ClientSecret, or --Ords:ServerAddress=https://db.example.com); with none, it uses the embedded emulator.
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OAuth2Client.Testing;
using OAuth2Client.Samples;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
await using EmulatedOAuthServer? emulator = await SampleServer.EnsureAsync(builder.Configuration, "Ords", Vendors.Ords);
string schema = builder.Configuration["Ords:Schema"] ?? "hr";
var restBase = new Uri($"{builder.Configuration["Ords:ServerAddress"]!.TrimEnd('/')}/ords/{schema}/");

builder.Services.AddOAuth2ClientCredentials("ords", builder.Configuration.GetSection("Ords"))
    .ConfigureHttpClient(http => http.BaseAddress = restBase);

using IHost host = builder.Build();
await host.StartAsync();
HttpClient ords = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("ords");

string table = builder.Configuration["Table"] ?? "employees";
using JsonDocument page = JsonDocument.Parse(await ords.GetStringAsync($"{table}/"));
foreach (JsonElement row in page.RootElement.GetProperty("items").EnumerateArray())
{
    Console.WriteLine(string.Join("  ", row.EnumerateObject().Where(p => p.Name != "links").Select(p => $"{p.Name}={p.Value}")));
}

Console.WriteLine($"{page.RootElement.GetProperty("items").GetArrayLength()} row(s) from {restBase}{table}/");
await host.StopAsync();
