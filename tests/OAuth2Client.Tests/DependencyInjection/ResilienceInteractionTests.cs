using Microsoft.Extensions.DependencyInjection;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.DependencyInjection;

/// <summary>
/// Apps that add resilience to every client (<c>ConfigureHttpClientDefaults(b =&gt; b.AddStandardResilienceHandler())</c>,
/// the .NET Aspire service defaults) must still get one layer of token-request retries and a typed error.
/// </summary>
public sealed class ResilienceInteractionTests
{
    [Fact]
    public async Task StandardResilienceOnEveryClient_TokenEndpointDown_OwnRetriesOnlyAndTypedError()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        server.TokenReplyOverride = (_, _) => TokenReply.Json(503, "{\"error\":\"temporarily_unavailable\"}");
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        services.AddOAuth2ClientCredentials("api", o =>
            {
                o.TokenEndpoint = server.TokenEndpoint;
                o.ClientId = Harness.ClientId;
                o.ClientSecret = Harness.ClientSecret;
                o.MaxTokenRequestRetries = 2;
                o.TokenRequestRetryDelay = TimeSpan.FromMilliseconds(10);
            })
            .ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient api = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => api.GetAsync("orders"));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(3, server.TokenRequestCount); // 1 + MaxTokenRequestRetries, not multiplied by the app's retries
        Assert.Equal(0, server.ApiRequestCount);
    }

    [Fact]
    public async Task StandardResilienceOnEveryClient_ApiClientKeepsIt()
    {
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        services.AddOAuth2ClientCredentials("api", o =>
        {
            o.TokenEndpoint = new Uri("https://login.example.com/token");
            o.ClientId = "a";
            o.ClientSecret = "b";
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IHttpMessageHandlerFactory>();

        Assert.Contains("ResilienceHandler", Chain(factory.CreateHandler("api")), StringComparer.Ordinal);
        Assert.DoesNotContain("ResilienceHandler", Chain(factory.CreateHandler(OAuth2HttpClientNames.ForTokenEndpoint("api"))), StringComparer.Ordinal);
    }

    private static List<string> Chain(HttpMessageHandler handler)
    {
        var names = new List<string>();
        for (HttpMessageHandler? h = handler; h is not null; h = (h as DelegatingHandler)?.InnerHandler)
        {
            names.Add(h.GetType().Name);
        }

        return names;
    }
}
