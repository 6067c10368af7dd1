using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>
/// A minimal protected API on Kestrel at <c>127.0.0.1:0</c> for the throughput benchmark: 200 with a 2-byte body when
/// the <c>Authorization</c> header is exactly the expected one, 401 otherwise. Unlike the emulator's API it records
/// nothing, so a long run does not grow the heap it shares with the client being measured.
/// </summary>
internal sealed class LoopbackApi : IAsyncDisposable
{
    private static readonly byte[] Body = "{}"u8.ToArray();
    private readonly WebApplication _app;
    private readonly StringValues _expectedAuthorization;

    private LoopbackApi(WebApplication app, string expectedAuthorization)
    {
        _app = app;
        _expectedAuthorization = expectedAuthorization;
        Address = null!;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Address { get; private set; }

    public static LoopbackApi Start(string expectedAuthorization)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddLogging(l => l.ClearProviders());
        WebApplication app = builder.Build();
        var api = new LoopbackApi(app, expectedAuthorization);
        app.Run(api.HandleAsync);
        app.StartAsync().GetAwaiter().GetResult();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Address = new Uri(address.TrimEnd('/') + "/");
        return api;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private Task HandleAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization != _expectedAuthorization)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Body.Length;
        return context.Response.Body.WriteAsync(Body).AsTask();
    }
}
