using System.Runtime.CompilerServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OAuth2Client.DependencyInjection.Internal;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.DependencyInjection;

/// <summary>Configuration reloads neither leak providers nor throw away a token for nothing.</summary>
public sealed class OAuth2ClientRegistryTests
{
    [Fact]
    public async Task Reloads_ValuesUnchanged_KeepOneProviderAndItsToken()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        IConfigurationRoot configuration = ConfigurationFor(server);
        await using ServiceProvider services = Build(configuration);
        OAuth2ClientRegistry registry = services.GetRequiredService<OAuth2ClientRegistry>();
        IOAuth2TokenProvider tokens = services.GetRequiredKeyedService<IOAuth2TokenProvider>("api");
        OAuth2Token first = await tokens.GetTokenAsync();
        ClientCredentialsTokenProvider provider = registry.GetProvider("api");

        for (int i = 0; i < 2000; i++)
        {
            configuration.Reload();
            Assert.Same(first, await tokens.GetTokenAsync());
        }

        Assert.Same(provider, registry.GetProvider("api"));
        Assert.Equal(1, registry.CreatedProviderCount);
        Assert.Equal(1, registry.LiveProviderCount);
        Assert.Equal(1, server.TokenRequestCount);
    }

    [Fact]
    public async Task Reload_ValuesChanged_OldProviderDisposedOnceNoHandlerUsesIt()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        IConfigurationRoot configuration = ConfigurationFor(server);
        var time = TestClock.Create();
        await using ServiceProvider services = Build(configuration, time);
        OAuth2ClientRegistry registry = services.GetRequiredService<OAuth2ClientRegistry>();
        var alive = new List<object>(); // the handlers the factory still holds
        WeakReference<BearerTokenHandler> first = CreateHandler(registry, alive);
        WeakReference<BearerTokenHandler> second = CreateHandler(registry, alive);
        ClientCredentialsTokenProvider old = registry.GetProvider("api");
        await old.GetTokenAsync();

        configuration["Scope"] = "orders";
        configuration.Reload();

        ClientCredentialsTokenProvider current = registry.GetProvider("api");
        Assert.NotSame(old, current);
        Assert.Equal(2, registry.LiveProviderCount);
        registry.Sweep();
        Assert.Equal(2, registry.LiveProviderCount); // still used by the live handlers

        alive.Clear(); // the factory expired and dropped them
        CollectUntilGone(first);
        CollectUntilGone(second);
        time.Advance(OAuth2ClientRegistry.SweepInterval); // the timer sweeps; no handler has to be built

        await Eventually.WaitUntilAsync(() => registry.LiveProviderCount == 1);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => old.RenewTokenAsync(null).AsTask());
        Assert.Equal(2, registry.CreatedProviderCount);
    }

    [Fact]
    public async Task CreationFailure_NotRemembered_NextCallRetries()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        string? secret = null; // arrives later, e.g. from a secret store that was not ready yet
        var collection = new ServiceCollection();
        collection.AddOAuth2ClientCredentials("api", o =>
        {
            o.TokenEndpoint = server.TokenEndpoint;
            o.ClientId = Harness.ClientId;
            o.ClientSecret = secret;
        });
        await using ServiceProvider services = collection.BuildServiceProvider();
        IOAuth2TokenProvider tokens = services.GetRequiredKeyedService<IOAuth2TokenProvider>("api");

        await Assert.ThrowsAsync<OptionsValidationException>(() => tokens.GetTokenAsync().AsTask());
        secret = Harness.ClientSecret;

        OAuth2Token token = await tokens.GetTokenAsync();
        Assert.True(server.IsValid(token.Value));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference<BearerTokenHandler> CreateHandler(OAuth2ClientRegistry registry, List<object> alive)
    {
        BearerTokenHandler handler = registry.CreateHandler("api");
        alive.Add(handler);
        return new(handler);
    }

    private static void CollectUntilGone(WeakReference<BearerTokenHandler> handler)
    {
        for (int i = 0; i < 10 && IsAlive(handler); i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(IsAlive(handler));
    }

    /// <summary>In its own frame, so no temporary of the caller's keeps the target alive (unoptimized code keeps them).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsAlive(WeakReference<BearerTokenHandler> handler) => handler.TryGetTarget(out _);

    private static ServiceProvider Build(IConfiguration configuration, TimeProvider? time = null)
    {
        var collection = new ServiceCollection();
        if (time is not null)
        {
            collection.AddSingleton(time);
        }

        collection.AddOAuth2ClientCredentials("api", configuration);
        return collection.BuildServiceProvider();
    }

    private static IConfigurationRoot ConfigurationFor(EmulatedOAuthServer server)
        => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenEndpoint"] = server.TokenEndpoint.AbsoluteUri,
            ["ClientId"] = Harness.ClientId,
            ["ClientSecret"] = Harness.ClientSecret,
        }).Build();

    private static Task<EmulatedOAuthServer> StartServerAsync()
        => EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
}
