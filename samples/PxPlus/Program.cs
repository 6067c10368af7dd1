// PxPlus Web Services sample: runs a query (saved as CSV) and fetches a report (saved as PDF).
// Configure PxPlus:ServerAddress/ClientId/ClientSecret in appsettings.json, environment variables
// (PxPlus__ClientSecret=...) or arguments (--PxPlus:ServerAddress=https://erp.example.com); with none, it uses the
// embedded emulator.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OAuth2Client.Testing;
using OAuth2Client.Samples;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
await using EmulatedOAuthServer? emulator = await SampleServer.EnsureAsync(builder.Configuration, "PxPlus", Vendors.PxPlus);
var server = new Uri(builder.Configuration["PxPlus:ServerAddress"]!.TrimEnd('/') + "/");

builder.Services.AddOAuth2ClientCredentials("pxplus", builder.Configuration.GetSection("PxPlus"))
    .ConfigureHttpClient(http => http.BaseAddress = new Uri(server, "services/"));

using IHost host = builder.Build();
HttpClient pxplus = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("pxplus");

string output = Directory.CreateDirectory(builder.Configuration["OutputFolder"] is { Length: > 0 } folder ? folder : Path.Combine(AppContext.BaseDirectory, "output")).FullName;

string query = builder.Configuration["Query"] ?? "myQuery";
byte[] csv = await pxplus.GetByteArrayAsync($"service.pxp?id={Uri.EscapeDataString(query)}");
string csvPath = Path.Combine(output, $"{query}.csv");
await File.WriteAllBytesAsync(csvPath, csv);
Console.WriteLine($"Query '{query}': {csv.Length} bytes saved to {csvPath}");

string report = builder.Configuration["Report"] ?? "report";
using HttpResponseMessage pdf = await pxplus.GetAsync($"service.pxp?id={Uri.EscapeDataString(report)}");
pdf.EnsureSuccessStatusCode();
string pdfPath = Path.Combine(output, $"{report}.pdf");
await File.WriteAllBytesAsync(pdfPath, await pdf.Content.ReadAsByteArrayAsync());
Console.WriteLine($"Report '{report}': {pdf.Content.Headers.ContentType} saved to {pdfPath}");
