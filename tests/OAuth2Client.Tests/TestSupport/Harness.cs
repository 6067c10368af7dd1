using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OAuth2Client.Testing;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// One emulated server, a token provider on a fake clock with captured logs, and an <see cref="HttpClient"/> whose
/// handler chain is <see cref="BearerTokenHandler"/> over a real <see cref="SocketsHttpHandler"/>.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    public const string ClientId = "test-client";

    /// <summary>A secret with every character that trips naive Basic encoding.</summary>
    public const string ClientSecret = "S3cr3t-p@ss:w/rd+%&=";

    /// <summary>The Authorization header of Basic base64(id:secret) without form-encoding, as the vendor documents show.</summary>
    public static readonly string RawBasicHeader = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret));

    private Harness(EmulatedOAuthServer server, OAuth2ClientOptions options)
    {
        Server = server;
        Options = options;
        LoggerFactory = TestLogs.CreateFactory(Logs);
        Provider = new ClientCredentialsTokenProvider(options, httpClient: null, Time, LoggerFactory);
        Handler = new BearerTokenHandler(Provider, LoggerFactory.CreateLogger("handler")) { InnerHandler = new SocketsHttpHandler() };
        Api = new HttpClient(Handler) { BaseAddress = server.ApiAddress };
    }

    public EmulatedOAuthServer Server { get; }

    public OAuth2ClientOptions Options { get; }

    public FakeTimeProvider Time { get; } = TestClock.Create();

    /// <summary>Every log record of the provider and the handler.</summary>
    public FakeLogCollector Logs { get; } = new();

    public ILoggerFactory LoggerFactory { get; }

    public ClientCredentialsTokenProvider Provider { get; }

    public BearerTokenHandler Handler { get; }

    public HttpClient Api { get; }

    public static async Task<Harness> StartAsync(TokenEndpointBehavior? behavior = null, Action<OAuth2ClientOptions>? configure = null)
    {
        EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(behavior ?? TokenEndpointBehavior.Rfc6749, ClientId, ClientSecret);
        var options = new OAuth2ClientOptions
        {
            TokenEndpoint = server.TokenEndpoint,
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            MaxTokenRequestRetries = 0,

            // Tests of the 401 renewal revoke a token right after it was issued; the minimum age that bounds a 401
            // storm has its own tests (Http/BearerTokenHandler401PolicyTests), which set it back.
            MinTokenAgeForRenewal = TimeSpan.Zero,
        };
        configure?.Invoke(options);
        return new Harness(server, options);
    }

    /// <summary>Starts a vendor's emulator and a client configured the way a user would: profile + server address.</summary>
    public static Task<Harness> StartVendorAsync(TokenEndpointBehavior behavior, TokenEndpointProfile profile, Action<OAuth2ClientOptions>? configure = null)
        => StartAsync(behavior, o =>
        {
            o.Profile = profile;
            o.ServerAddress = new Uri(o.TokenEndpoint!.GetLeftPart(UriPartial.Authority));
            o.TokenEndpoint = null;
            configure?.Invoke(o);
        });

    /// <summary>Asserts that no secret, Basic header or issued token appears in the text.</summary>
    public void AssertNoSecrets(string? text)
    {
        if (text is null)
        {
            return;
        }

        Assert.DoesNotContain(ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(ClientSecret), text, StringComparison.OrdinalIgnoreCase);
        foreach (RecordedRequest request in Server.TokenRequests)
        {
            if (request.Authorization is { } basic)
            {
                Assert.DoesNotContain(basic[6..], text, StringComparison.Ordinal);
            }
        }

        foreach (string token in Server.IssuedTokens)
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Provider.Dispose();
        LoggerFactory.Dispose();
        await Server.DisposeAsync();
    }
}
