using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OAuth2Client.FloorTests;

/// <summary>
/// On Microsoft.Extensions.Http 8.0 the factory's own request logging writes the whole URL, query included, at
/// Information (10.0 redacts the query). The token endpoint's URL can carry a policy or tenant in its query, so the
/// library's backchannel must not be logged that way.
/// </summary>
public sealed class FactoryLoggingOnFloorTests
{
    private const string QueryValue = "b2c_1a_secret-policy-value";

    [Fact]
    public void RunsOnTheFloorVersionOfMicrosoftExtensionsHttp()
        => Assert.Equal(8, typeof(IHttpClientFactory).Assembly.GetName().Version!.Major);

    [Fact]
    public async Task TokenRequest_FactoryLogging_NeverWritesTheTokenEndpointQuery()
    {
        using var server = LoopbackServer.Start();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddOAuth2ClientCredentials("api", o =>
            {
                o.TokenEndpoint = new Uri(server.Address, "token?p=" + QueryValue);
                o.ClientId = "floor-client";
                o.ClientSecret = "floor-secret";
            })
            .ConfigureHttpClient(c => c.BaseAddress = server.Address);
        await using ServiceProvider provider = services.BuildServiceProvider();

        using HttpResponseMessage response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync("orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(server.Requests, r => r.StartsWith("/token?p=", StringComparison.Ordinal));
        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(QueryValue, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("floor-secret", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
                => owner.Messages.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
        }
    }

    /// <summary>A token endpoint and an API on <see cref="HttpListener"/> (no ASP.NET Core in this project).</summary>
    private sealed class LoopbackServer : IDisposable
    {
        private readonly HttpListener _listener = new();

        private LoopbackServer(int port)
        {
            Address = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Address.AbsoluteUri);
        }

        public Uri Address { get; }

        public ConcurrentQueue<string> Requests { get; } = new();

        public static LoopbackServer Start()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var server = new LoopbackServer(port);
            server._listener.Start();
            _ = Task.Run(server.ServeAsync);
            return server;
        }

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception)
                {
                    return;
                }

                Requests.Enqueue(context.Request.RawUrl ?? string.Empty);
                byte[] body = context.Request.Url!.AbsolutePath == "/token"
                    ? Encoding.UTF8.GetBytes("{\"access_token\":\"floor-token-value\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                    : Encoding.UTF8.GetBytes("{}");
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = context.Request.Url.AbsolutePath == "/token" || context.Request.Headers["Authorization"] == "Bearer floor-token-value" ? 200 : 401;
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
