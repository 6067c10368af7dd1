using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);

builder.Services
    .AddHttpClient<Employees>(http => http.BaseAddress = new Uri(builder.Configuration["Employees:BaseAddress"]!))
    .AddOAuth2ClientCredentials(builder.Configuration.GetSection("OAuth2:Ords"));

using IHost host = builder.Build();
await host.StartAsync(); // stops here with a clear message if OAuth2:Ords is incomplete

Employees employees = host.Services.GetRequiredService<Employees>();
Console.WriteLine(await employees.ListAsync());

await host.StopAsync();

public sealed class Employees(HttpClient http)
{
    public Task<string> ListAsync() => http.GetStringAsync("employees/");
}
