using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace OAuth2Client.Tests.DependencyInjection;

/// <summary>
/// The DI package binds options without the reflection-based ConfigurationBinder (trim- and AOT-safe), and every
/// message about configuration names the key and the environment variable that fix it.
/// </summary>
public sealed class ConfigurationBindingTests
{
    [Fact]
    public void Bind_EveryKindOfValue_BoundCaseInsensitively()
    {
        OAuth2ClientOptions options = Bind("""
            { "OAuth2": { "Ords": {
              "profile": "ords", "ServerAddress": "https://db.example.com", "Schema": "hr",
              "ClientId": "app", "ClientSecret": "s", "Scope": "hr.read",
              "ClientAuthentication": "requestbody", "RequestFormat": "Json", "ResponseFormat": "Xml",
              "DefaultTokenLifetime": "00:10:00", "RefreshAhead": "false", "MaxTokenRequestRetries": "4",
              "MaxRequestBodyBufferSize": "65536", "AllowInsecureHttp": "true",
              "AdditionalParameters": { "resource": "employees", "audience": "hr" }
            } } }
            """);

        Assert.Same(TokenEndpointProfile.Ords, options.Profile);
        Assert.Equal(new Uri("https://db.example.com"), options.ServerAddress);
        Assert.Equal("hr", options.Schema);
        Assert.Equal(("app", "s", "hr.read"), (options.ClientId, options.ClientSecret, options.Scope));
        Assert.Equal(ClientAuthenticationStyle.RequestBody, options.ClientAuthentication);
        Assert.Equal(TokenRequestFormat.Json, options.RequestFormat);
        Assert.Equal(TokenResponseFormat.Xml, options.ResponseFormat);
        Assert.Equal(TimeSpan.FromMinutes(10), options.DefaultTokenLifetime);
        Assert.False(options.RefreshAhead);
        Assert.Equal(4, options.MaxTokenRequestRetries);
        Assert.Equal(65536, options.MaxRequestBodyBufferSize);
        Assert.True(options.AllowInsecureHttp);
        Assert.Equal(new Dictionary<string, string> { ["resource"] = "employees", ["audience"] = "hr" }, options.AdditionalParameters);
    }

    [Theory]
    [InlineData("ClientAuthentication", "Basik", "use one of BasicHeader, BasicHeaderRaw, RequestBody")]
    [InlineData("ClientAuthentication", "1", "use one of BasicHeader, BasicHeaderRaw, RequestBody")]
    [InlineData("ResponseFormat", "html", "use one of Auto, Json, Xml")]
    [InlineData("Profile", "Oracle", "use one of Rfc6749, PxPlus, CentraSite, Ords, WebMethodsApiGateway")]
    [InlineData("RefreshAhead", "yes", "use true or false")]
    [InlineData("TokenRequestTimeout", "30s", "use a time span such as 00:00:30")]
    [InlineData("MaxTokenRequestRetries", "two", "use a whole number")]
    public void Bind_ValueThatDoesNotConvert_NamesPathEnvironmentVariableAndChoices(string key, string value, string accepted)
    {
        OptionsValidationException ex = Assert.Throws<OptionsValidationException>(() => Bind($$"""{ "OAuth2": { "Ords": { "{{key}}": "{{value}}" } } }"""));

        Assert.Contains($"OAuth2 client 'Employees': OAuth2:Ords:{key} = '{value}' is not a valid {key}: {accepted}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"environment variable OAuth2__Ords__{key}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostStart_SecretMissingFromSection_NamesConfigurationKeyAndEnvironmentVariable()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonStream(Json("""{ "OAuth2": { "Ords": { "Profile": "Ords", "ServerAddress": "https://db.example.com", "Schema": "hr", "ClientId": "app" } } }"""));
        builder.Services.AddHttpClient<Employees>().AddOAuth2ClientCredentials(builder.Configuration.GetSection("OAuth2:Ords"));
        using IHost host = builder.Build();

        OptionsValidationException ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("OAuth2 client 'Employees' (OAuth2:Ords): ClientSecret is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Set OAuth2:Ords:ClientSecret in configuration, or the environment variable OAuth2__Ords__ClientSecret.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ConfigurationReloaded_OptionsFollow()
    {
        IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OAuth2:Ords:TokenEndpoint"] = "https://login.example.com/token",
            ["OAuth2:Ords:ClientId"] = "app",
            ["OAuth2:Ords:ClientSecret"] = "old",
        }).Build();
        var services = new ServiceCollection();
        services.AddHttpClient("Employees").AddOAuth2ClientCredentials(configuration.GetSection("OAuth2:Ords"));
        using ServiceProvider provider = services.BuildServiceProvider();
        IOptionsMonitor<OAuth2ClientOptions> monitor = provider.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>();
        Assert.Equal("old", monitor.Get("Employees").ClientSecret);

        configuration["OAuth2:Ords:ClientSecret"] = "new";
        configuration.Reload();

        Assert.Equal("new", monitor.Get("Employees").ClientSecret);
    }

    private static OAuth2ClientOptions Bind(string json)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddJsonStream(Json(json)).Build();
        var services = new ServiceCollection();
        services.AddHttpClient<Employees>().AddOAuth2ClientCredentials(configuration.GetSection("OAuth2:Ords"));
        using ServiceProvider provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get(nameof(Employees));
    }

    private static MemoryStream Json(string json) => new(Encoding.UTF8.GetBytes(json));

    public sealed class Employees(HttpClient http)
    {
        public HttpClient Http { get; } = http;
    }
}
