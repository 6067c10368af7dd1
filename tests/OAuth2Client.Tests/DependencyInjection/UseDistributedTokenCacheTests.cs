using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.DependencyInjection;

/// <summary>
/// <c>UseDistributedTokenCache</c>: one call opts a client into fleet mode over the app's registered cache; what is
/// missing fails the host's start with a message naming the option. Two service providers stand for two instances.
/// </summary>
public sealed class UseDistributedTokenCacheTests : IAsyncLifetime
{
    private readonly IDistributedCache _shared = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
    private EmulatedOAuthServer _server = null!;

    public async Task InitializeAsync()
        => _server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task TwoInstances_RegisteredCache_ShareOneToken()
    {
        await using ServiceProvider first = BuildInstance(s => s.AddSingleton(_shared), o => o.Encrypted());
        await using ServiceProvider second = BuildInstance(s => s.AddSingleton(_shared), o => o.Encrypted());

        string a = await first.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetStringAsync("orders");
        string b = await second.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetStringAsync("orders");

        Assert.Equal(a, b);
        Assert.Equal(1, _server.TokenRequestCount);
        Assert.Equal(2, _server.ApiRequestCount);
    }

    [Fact]
    public async Task NoDistributedCacheRegistered_HostFailsToStart_NamingTheCache()
    {
        using IHost host = BuildHost(_ => { }, o => o.Encrypted());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("OAuth2 client 'api', distributed token cache: Cache is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddStackExchangeRedisCache", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoEncryptionConfigured_HostFailsToStart_NamingTheKey()
    {
        using IHost host = BuildHost(s => s.AddSingleton(_shared), _ => { });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("EncryptionKey or Protector is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataProtectionRegistered_NoKey_TokensProtectedWithIt()
    {
        var dataProtection = new EphemeralDataProtectionProvider();
        await using ServiceProvider first = BuildInstance(s => s.AddSingleton(_shared).AddSingleton<IDataProtectionProvider>(dataProtection), _ => { });
        await using ServiceProvider second = BuildInstance(s => s.AddSingleton(_shared).AddSingleton<IDataProtectionProvider>(dataProtection), _ => { });

        OAuth2Token a = await first.GetRequiredKeyedService<IOAuth2TokenProvider>("api").GetTokenAsync();
        OAuth2Token b = await second.GetRequiredKeyedService<IOAuth2TokenProvider>("api").GetTokenAsync();

        Assert.Equal(a.Value, b.Value);
        Assert.Equal(1, _server.TokenRequestCount);
        Assert.IsType<DataProtectionTokenProtector>(first.GetRequiredService<IOptionsMonitor<DistributedTokenCacheOptions>>().Get("api").Protector);
    }

    [Fact]
    public async Task WithoutUseDistributedTokenCache_InstancesDoNotShare()
    {
        await using ServiceProvider first = BuildInstance(s => s.AddSingleton(_shared), configure: null);
        await using ServiceProvider second = BuildInstance(s => s.AddSingleton(_shared), configure: null);

        await first.GetRequiredKeyedService<IOAuth2TokenProvider>("api").GetTokenAsync();
        await second.GetRequiredKeyedService<IOAuth2TokenProvider>("api").GetTokenAsync();

        Assert.Equal(2, _server.TokenRequestCount);
    }

    [Fact]
    public void DataProtectionTokenProtector_BindsTheCiphertextToTheCacheKey()
    {
        var protector = new DataProtectionTokenProtector(new EphemeralDataProtectionProvider());
        byte[] key = Encoding.UTF8.GetBytes("oauth2client:fleet:v1:token:A");
        byte[] sealedBytes = protector.Protect([1, 2, 3], key);

        Assert.Equal([1, 2, 3], protector.Unprotect(sealedBytes, key));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(sealedBytes, Encoding.UTF8.GetBytes("oauth2client:fleet:v1:token:B")));
    }

    private ServiceProvider BuildInstance(Action<IServiceCollection> register, Action<DistributedTokenCacheOptions>? configure)
    {
        var services = new ServiceCollection();
        register(services);
        Register(services, configure);
        return services.BuildServiceProvider(validateScopes: true);
    }

    private IHost BuildHost(Action<IServiceCollection> register, Action<DistributedTokenCacheOptions> configure)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        register(builder.Services);
        Register(builder.Services, configure);
        return builder.Build();
    }

    private void Register(IServiceCollection services, Action<DistributedTokenCacheOptions>? configure)
    {
        IHttpClientBuilder client = services.AddOAuth2ClientCredentials("api", o =>
        {
            o.TokenEndpoint = _server.TokenEndpoint;
            o.ClientId = Harness.ClientId;
            o.ClientSecret = Harness.ClientSecret;
            o.AllowInsecureHttp = true;
        }).ConfigureHttpClient(c => c.BaseAddress = _server.ApiAddress);
        if (configure is not null)
        {
            client.UseDistributedTokenCache(configure);
        }
    }
}
