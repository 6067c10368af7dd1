using System.Net;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.DependencyInjection;

public sealed class OAuth2ClientServiceCollectionExtensionsTests
{
    [Fact]
    public async Task TypedClient_AddOAuth2ClientCredentials_AuthorizesRequests()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        var services = new ServiceCollection();
        services.AddHttpClient<OrdersApi>(c => c.BaseAddress = server.ApiAddress)
            .AddOAuth2ClientCredentials(o => Configure(o, server));
        await using ServiceProvider provider = services.BuildServiceProvider(validateScopes: true);

        OrdersApi api = provider.GetRequiredService<OrdersApi>();
        string first = await api.GetAsync();
        string second = await provider.GetRequiredService<OrdersApi>().GetAsync();

        Assert.Contains("/api/orders", first, StringComparison.Ordinal);
        Assert.Equal(first, second);
        Assert.Equal(1, server.TokenRequestCount);
        Assert.Equal(2, server.ApiRequestCount);
    }

    [Fact]
    public async Task NamedClientFromJsonConfiguration_BindsEveryOption()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords, Harness.ClientId, Harness.ClientSecret);
        string json = $$"""
            {
              "OAuth2": {
                "Ords": {
                  "Profile": "Ords",
                  "ServerAddress": "{{server.BaseAddress}}",
                  "Schema": "hr",
                  "ClientId": "{{Harness.ClientId}}",
                  "ClientSecret": "{{Harness.ClientSecret}}",
                  "Scope": "hr.employees",
                  "AdditionalParameters": { "resource": "employees" },
                  "ClientAuthentication": "BasicHeaderRaw",
                  "RequestFormat": "Form",
                  "ResponseFormat": "Json",
                  "DefaultTokenLifetime": "00:20:00",
                  "RefreshBeforeExpiry": "00:02:00",
                  "MaxTokenRequestRetries": 1,
                  "TokenRequestRetryDelay": "00:00:00.100",
                  "TokenRequestTimeout": "00:00:10",
                  "AllowInsecureHttp": true
                }
              }
            }
            """;
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("ords", configuration.GetSection("OAuth2:Ords"))
            .ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);
        await using ServiceProvider provider = services.BuildServiceProvider();

        OAuth2ClientOptions options = provider.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get("ords");
        string rows = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("ords").GetStringAsync("employees/");

        Assert.Same(TokenEndpointProfile.Ords, options.Profile);
        Assert.Equal(server.BaseAddress, options.ServerAddress);
        Assert.Equal("hr", options.Schema);
        Assert.Equal("hr.employees", options.Scope);
        Assert.Equal("employees", options.AdditionalParameters["resource"]);
        Assert.Equal(ClientAuthenticationStyle.BasicHeaderRaw, options.ClientAuthentication);
        Assert.Equal(TokenRequestFormat.Form, options.RequestFormat);
        Assert.Equal(TokenResponseFormat.Json, options.ResponseFormat);
        Assert.Equal(TimeSpan.FromMinutes(20), options.DefaultTokenLifetime);
        Assert.Equal(TimeSpan.FromMinutes(2), options.RefreshBeforeExpiry);
        Assert.Equal(1, options.MaxTokenRequestRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.TokenRequestRetryDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.TokenRequestTimeout);
        Assert.True(options.AllowInsecureHttp);
        Assert.Contains("SMITH", rows, StringComparison.Ordinal);
        Assert.Equal("grant_type=client_credentials&scope=hr.employees&resource=employees", server.TokenRequests[0].BodyText);
    }

    public static TheoryData<string, string> InvalidConfigurations => new()
    {
        { "{\"ClientId\":\"a\",\"ClientSecret\":\"b\"}", "OAuth2 client 'ords': TokenEndpoint is required: set it to the absolute URL of the token endpoint" },
        { "{\"TokenEndpoint\":\"/token\",\"ClientId\":\"a\",\"ClientSecret\":\"b\"}", "OAuth2 client 'ords': TokenEndpoint must be an absolute URI (it is '/token')" },
        { "{\"TokenEndpoint\":\"https://idp.example.com/token\",\"ClientSecret\":\"b\"}", "OAuth2 client 'ords': ClientId is required: set it to the client id the authorization server issued." },
        { "{\"TokenEndpoint\":\"https://idp.example.com/token\",\"ClientId\":\"a\"}", "OAuth2 client 'ords': ClientSecret is required for the client-credentials grant" },
        { "{\"Profile\":\"Oracle\",\"ServerAddress\":\"https://db.example.com\",\"ClientId\":\"a\",\"ClientSecret\":\"b\"}", "OAuth2 client 'ords': Profile = 'Oracle' is not a valid Profile: use one of Rfc6749, PxPlus, CentraSite, Ords, WebMethodsApiGateway" },
        { "{\"TokenEndpoint\":\"https://idp.example.com/token\",\"ClientId\":\"a\",\"ClientSecret\":\"b\",\"RefreshBeforeExpiry\":\"-00:00:05\"}", "OAuth2 client 'ords': RefreshBeforeExpiry must not be negative (it is -00:00:05)" },
        { "{\"TokenEndpoint\":\"http://idp.example.com/token\",\"ClientId\":\"a\",\"ClientSecret\":\"b\"}", "OAuth2 client 'ords': TokenEndpoint 'http://idp.example.com/token' uses plain http on a host that is not loopback" },
        { "{\"Profile\":\"Ords\",\"ServerAddress\":\"https://db.example.com\",\"ClientId\":\"a\",\"ClientSecret\":\"b\"}", "OAuth2 client 'ords': Schema is required by the 'Ords' profile" },
        { Valid("\"FailureCooldown\":\"00:00:00\""), "OAuth2 client 'ords': FailureCooldown must be between 00:00:00.0100000 and 01:00:00 (it is 00:00:00); the default is 00:00:02." },
        { Valid("\"FailureCooldown\":\"00:00:10\",\"MaxFailureCooldown\":\"00:00:05\""), "OAuth2 client 'ords': MaxFailureCooldown must be between 00:00:10 and 1.00:00:00 (it is 00:00:05)" },
        { Valid("\"MinTokenAgeForRenewal\":\"02:00:00\""), "OAuth2 client 'ords': MinTokenAgeForRenewal must be between 00:00:00 and 01:00:00 (it is 02:00:00)" },
        { Valid("\"TokenRequestTimeout\":\"00:00:00.005\""), "OAuth2 client 'ords': TokenRequestTimeout must be between 00:00:00.0100000 and 1.00:00:00 (it is 00:00:00.0050000)" },
        { Valid("\"TokenRequestTimeout\":\"2.00:00:00\""), "OAuth2 client 'ords': TokenRequestTimeout must be between 00:00:00.0100000 and 1.00:00:00 (it is 2.00:00:00)" },
        { Valid("\"TokenRequestRetryDelay\":\"2.00:00:00\""), "OAuth2 client 'ords': TokenRequestRetryDelay must be between 00:00:00 and 1.00:00:00 (it is 2.00:00:00)" },
        { Valid("\"DefaultTokenLifetime\":\"10675199.02:48:05.4775807\""), "OAuth2 client 'ords': DefaultTokenLifetime must be between 00:00:01 and 366.00:00:00" },
    };

    [Fact]
    public void Configuration_LifecycleOptions_Bound()
    {
        IConfiguration section = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(
            Valid("\"RefreshAhead\":false,\"FailureCooldown\":\"00:00:03\",\"MaxFailureCooldown\":\"00:05:00\",\"MinTokenAgeForRenewal\":\"00:00:30\"")))).Build();
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("ords", section);
        using ServiceProvider provider = services.BuildServiceProvider();

        OAuth2ClientOptions options = provider.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get("ords");

        Assert.False(options.RefreshAhead);
        Assert.Equal(TimeSpan.FromSeconds(3), options.FailureCooldown);
        Assert.Equal(TimeSpan.FromMinutes(5), options.MaxFailureCooldown);
        Assert.Equal(TimeSpan.FromSeconds(30), options.MinTokenAgeForRenewal);
        Assert.Empty(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options));
    }

    private static string Valid(string extra) => "{\"TokenEndpoint\":\"https://idp.example.com/token\",\"ClientId\":\"a\",\"ClientSecret\":\"b\"," + extra + "}";

    [Theory]
    [MemberData(nameof(InvalidConfigurations))]
    public async Task HostStart_InvalidOptions_FailsWithMessageNamingClientOptionAndFix(string json, string expected)
    {
        IConfiguration section = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddOAuth2ClientCredentials("ords", section);
        using IHost host = builder.Build();

        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"b\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_ValidOptions_ValidatedAndNamedClientCarriesBearerToken()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddOAuth2ClientCredentials("ok", o => Configure(o, server)).ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);
        using IHost host = builder.Build();

        await host.StartAsync();
        OAuth2ClientOptions options = host.Services.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get("ok");
        ValidateOptionsResult[] validations = [.. host.Services.GetServices<IValidateOptions<OAuth2ClientOptions>>().Select(v => v.Validate("ok", options))];
        OAuth2Token token = await host.Services.GetRequiredKeyedService<IOAuth2TokenProvider>("ok").GetTokenAsync();
        using HttpResponseMessage response = await host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("ok").GetAsync("orders");
        await host.StopAsync();

        Assert.Contains(validations, v => v.Succeeded);
        Assert.DoesNotContain(validations, v => v.Failed);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(server.IsValid(token.Value));
        Assert.Equal("Bearer " + token.Value, Assert.Single(server.ApiRequests).Authorization);
        Assert.Equal(1, server.TokenRequestCount);
    }

    [Fact]
    public async Task HandlerRotation_KeepsOneTokenAcrossHandlerLifetimes()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("api", o => Configure(o, server))
            .ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);
        await using ServiceProvider provider = services.BuildServiceProvider();

        // What the factory does when a handler's lifetime ends (on its own wall-clock timer): build a new chain from the
        // client's registration, in a new scope. Built here twice, so the test needs no waiting for the timer.
        using HttpClient first = new(BuildChain(provider, "api")) { BaseAddress = server.ApiAddress };
        using HttpClient second = new(BuildChain(provider, "api")) { BaseAddress = server.ApiAddress };
        await first.GetStringAsync("orders");
        await second.GetStringAsync("orders");

        Assert.Equal(2, server.ApiRequestCount);
        Assert.Equal(1, server.TokenRequestCount);
        Assert.Equal(server.ApiRequests[0].Authorization, server.ApiRequests[1].Authorization);
    }

    [Fact]
    public async Task TwoNamedClients_DifferentCredentials_NeverShareToken()
    {
        await using EmulatedOAuthServer a = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, "client-a", "secret-a");
        await using EmulatedOAuthServer b = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, "client-b", "secret-b");
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("a", o => { o.TokenEndpoint = a.TokenEndpoint; o.ClientId = "client-a"; o.ClientSecret = "secret-a"; })
            .ConfigureHttpClient(c => c.BaseAddress = a.ApiAddress);
        services.AddOAuth2ClientCredentials("b", o => { o.TokenEndpoint = b.TokenEndpoint; o.ClientId = "client-b"; o.ClientSecret = "secret-b"; })
            .ConfigureHttpClient(c => c.BaseAddress = b.ApiAddress);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IHttpClientFactory factory = provider.GetRequiredService<IHttpClientFactory>();

        using HttpResponseMessage fromA = await factory.CreateClient("a").GetAsync("x");
        using HttpResponseMessage fromB = await factory.CreateClient("b").GetAsync("x");

        Assert.Equal(HttpStatusCode.OK, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.NotEqual(a.ApiRequests[0].Authorization, b.ApiRequests[0].Authorization);
        Assert.Equal(1, a.TokenRequestCount);
        Assert.Equal(1, b.TokenRequestCount);
    }

    [Fact]
    public async Task UserRegistrations_MemoryCacheTimeProviderAndBackchannelHandler_AreUsed()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        using var cache = new MemoryCache(new MemoryCacheOptions());
        FakeTimeProvider time = TestClock.Create();
        var counter = new CountingHandler();
        var services = new ServiceCollection();
        services.AddSingleton<IMemoryCache>(cache);
        services.AddSingleton<TimeProvider>(time);
        services.AddOAuth2ClientCredentials("api", o => Configure(o, server)).ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);
        services.AddHttpClient(OAuth2HttpClientNames.ForTokenEndpoint("api")).AddHttpMessageHandler(() => counter);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("api");

        await http.GetStringAsync("orders");
        time.Advance(TimeSpan.FromMinutes(58)); // still fresh by the injected clock
        await http.GetStringAsync("orders");
        time.Advance(TimeSpan.FromMinutes(1.5)); // in the refresh window: renewed in the background
        await http.GetStringAsync("orders");
        await Eventually.WaitUntilAsync(() => server.TokenRequestCount == 2);

        Assert.Equal(1, cache.Count);
        Assert.Equal(2, counter.Count);
        Assert.Equal(2, server.TokenRequestCount);
    }

    [Fact]
    public async Task KeyedAccessTokenProvider_GetsAndForcesRenewal()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("api", o => Configure(o, server));
        await using ServiceProvider provider = services.BuildServiceProvider();
        IOAuth2TokenProvider tokens = provider.GetRequiredKeyedService<IOAuth2TokenProvider>("api");

        OAuth2Token first = await tokens.GetTokenAsync();
        OAuth2Token again = await tokens.GetTokenAsync();
        OAuth2Token forced = await tokens.RenewTokenAsync(null);

        Assert.Same(first, again);
        Assert.NotEqual(first.Value, forced.Value);
        Assert.Equal(2, server.TokenRequestCount);
    }

    [Fact]
    public async Task ConfigurationReload_NewSecretTakesEffectForKeyedProvider()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        server.ClientSecret = "old-secret";
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TokenEndpoint"] = server.TokenEndpoint.AbsoluteUri,
            ["ClientId"] = Harness.ClientId,
            ["ClientSecret"] = "old-secret",
        }).Build();
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("api", configuration);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IOAuth2TokenProvider tokens = provider.GetRequiredKeyedService<IOAuth2TokenProvider>("api");
        await tokens.GetTokenAsync();

        server.ClientSecret = "new-secret";
        configuration["ClientSecret"] = "new-secret";
        configuration.Reload();
        OAuth2Token renewed = await tokens.RenewTokenAsync(null);

        Assert.True(server.IsValid(renewed.Value));
        Assert.Equal(2, server.TokenRequestCount);
    }

    [Fact]
    public async Task RegisteredTwice_OneHandler_RetriesOnlyOnce()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        server.RejectAllApiCalls = true;
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("api", o => Configure(o, server)).ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);
        services.AddOAuth2ClientCredentials("api", o => { o.Scope = "orders"; o.MinTokenAgeForRenewal = TimeSpan.Zero; });
        services.AddHttpClient("api").AddOAuth2ClientCredentialsHandler("api");
        await using ServiceProvider provider = services.BuildServiceProvider();

        using HttpResponseMessage response = await provider.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync("orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, server.ApiRequestCount);
        Assert.Equal(2, server.TokenRequestCount);
        Assert.Equal("orders", provider.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get("api").Scope);
    }

    [Fact]
    public async Task FactoryLogging_RedactsAuthorizationForApiAndTokenEndpointClients()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("api").RedactLoggedHeaders(["X-Api-Key"]);
        services.AddOAuth2ClientCredentials("api", o => { o.TokenEndpoint = new Uri("https://idp.example.com/token"); o.ClientId = "a"; o.ClientSecret = "b"; });
        await using ServiceProvider provider = services.BuildServiceProvider();
        IOptionsMonitor<HttpClientFactoryOptions> options = provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>();

        HttpClientFactoryOptions api = options.Get("api");
        HttpClientFactoryOptions tokenEndpoint = options.Get(OAuth2HttpClientNames.ForTokenEndpoint("api"));

        Assert.True(api.ShouldRedactHeaderValue("Authorization"));
        Assert.True(api.ShouldRedactHeaderValue("X-Api-Key"));
        Assert.True(tokenEndpoint.ShouldRedactHeaderValue("authorization"));
    }

    [Fact]
    public async Task TokenEndpointRedirect_NotFollowedByFactoryClient()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        string elsewhere = new Uri(server.BaseAddress, "/capture").AbsoluteUri;
        server.TokenReplyOverride = (_, _) => new TokenReply(307, null, string.Empty) { Headers = new Dictionary<string, string> { ["Location"] = elsewhere } };
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("api", o => { Configure(o, server); o.MaxTokenRequestRetries = 0; });
        await using ServiceProvider provider = services.BuildServiceProvider();

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetRequiredKeyedService<IOAuth2TokenProvider>("api").GetTokenAsync().AsTask());

        Assert.Contains("with a redirect", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.ApiRequestCount);
    }

    [Fact]
    public async Task SecondHttpClient_SharingOAuth2Client_UsesSameToken()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("orders", o => Configure(o, server)).ConfigureHttpClient(c => c.BaseAddress = server.ApiAddress);
        services.AddHttpClient("invoices", c => c.BaseAddress = server.ApiAddress).AddOAuth2ClientCredentialsHandler("orders");
        await using ServiceProvider provider = services.BuildServiceProvider();
        IHttpClientFactory factory = provider.GetRequiredService<IHttpClientFactory>();

        await factory.CreateClient("orders").GetStringAsync("orders");
        await factory.CreateClient("invoices").GetStringAsync("invoices");

        Assert.Equal(1, server.TokenRequestCount);
        Assert.Equal(server.ApiRequests[0].Authorization, server.ApiRequests[1].Authorization);
    }

    [Fact]
    public async Task HealthCheck_ReportsHealthyThenUnhealthyWithoutSecrets()
    {
        await using EmulatedOAuthServer server = await StartServerAsync();
        FakeTimeProvider time = TestClock.Create();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddOAuth2ClientCredentials("api", o => Configure(o, server));
        services.AddHealthChecks().AddOAuth2TokenCheck("api", tags: ["ready"]);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthCheckService health = provider.GetRequiredService<HealthCheckService>();

        HealthReport healthy = await health.CheckHealthAsync();
        server.ClientSecret = "rotated-on-the-server";
        time.Advance(TimeSpan.FromHours(2)); // the token has expired, and no new one can be had
        HealthReport unhealthy = await health.CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Equal(["ready"], healthy.Entries["oauth2-token-api"].Tags);
        Assert.Contains("OAuth2 client 'api' has a token valid until", healthy.Entries["oauth2-token-api"].Description, StringComparison.Ordinal);
        string description = unhealthy.Entries["oauth2-token-api"].Description!;
        Assert.Contains("OAuth2 client 'api' cannot obtain a token", description, StringComparison.Ordinal);
        Assert.Contains("invalid_client", description, StringComparison.Ordinal);
        Assert.DoesNotContain(Harness.ClientSecret, description, StringComparison.Ordinal);
    }

    private static Task<EmulatedOAuthServer> StartServerAsync()
        => EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);

    private static void Configure(OAuth2ClientOptions options, EmulatedOAuthServer server)
    {
        options.TokenEndpoint = server.TokenEndpoint;
        options.ClientId = Harness.ClientId;
        options.ClientSecret = Harness.ClientSecret;
    }

    public sealed class OrdersApi(HttpClient http)
    {
        public Task<string> GetAsync() => http.GetStringAsync("orders");
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        private int _count;

        public int Count => _count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return base.SendAsync(request, cancellationToken);
        }
    }

    private static HttpMessageHandler BuildChain(IServiceProvider provider, string name)
    {
        IServiceScope scope = provider.CreateScope(); // lives as long as the chain, as in the factory
        HttpMessageHandlerBuilder builder = scope.ServiceProvider.GetRequiredService<HttpMessageHandlerBuilder>();
        builder.Name = name;
        foreach (Action<HttpMessageHandlerBuilder> action in provider.GetRequiredService<IOptionsMonitor<HttpClientFactoryOptions>>().Get(name).HttpMessageHandlerBuilderActions)
        {
            action(builder);
        }

        return builder.Build();
    }
}
