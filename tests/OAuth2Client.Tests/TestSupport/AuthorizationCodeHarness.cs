using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using OAuth2Client.Testing;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// A strict fake authorization server (webMethods API Gateway by default), an <see cref="AuthorizationCodeTokenProvider"/>
/// on a fake clock with captured logs, an API client through <see cref="BearerTokenHandler"/>, and a "browser": an
/// <see cref="HttpClient"/> that follows the authorize endpoint's 302 to the loopback listener.
/// </summary>
public sealed class AuthorizationCodeHarness : IAsyncDisposable
{
    public const string Scope = "orders";

    private readonly HttpClient _browser = new(new SocketsHttpHandler { AllowAutoRedirect = true });
    private readonly HttpClient _noRedirectBrowser = new(new SocketsHttpHandler { AllowAutoRedirect = false });

    private AuthorizationCodeHarness(EmulatedOAuthServer server, OAuth2ClientOptions options, IRefreshTokenStore store)
    {
        Server = server;
        Options = options;
        Store = store;
        LoggerFactory = TestLogs.CreateFactory(Logs);
        Provider = new AuthorizationCodeTokenProvider(options, store, httpClient: null, Time, LoggerFactory);
        Api = new HttpClient(new BearerTokenHandler(Provider, LoggerFactory.CreateLogger("handler")) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = server.ApiAddress,
        };
    }

    public EmulatedOAuthServer Server { get; }

    public AuthorizationCodeFlow Flow => Server.AuthorizationCode;

    public OAuth2ClientOptions Options { get; }

    public FakeTimeProvider Time { get; } = TestClock.Create();

    /// <summary>Every log record of the provider, the loopback listener and the handler.</summary>
    public FakeLogCollector Logs { get; } = new();

    public ILoggerFactory LoggerFactory { get; }

    public IRefreshTokenStore Store { get; }

    public AuthorizationCodeTokenProvider Provider { get; }

    public HttpClient Api { get; }

    /// <summary>The page the loopback listener last showed the browser.</summary>
    public string? LastPage { get; private set; }

    /// <summary>Sign-in options whose "browser" follows the redirect with an <see cref="HttpClient"/>.</summary>
    public LoopbackSignInOptions SignIn => new() { OpenBrowser = FollowAsync };

    /// <summary>Starts a server and a provider signed in to nobody yet.</summary>
    /// <param name="apiGateway">A webMethods API Gateway (JSON body, Basic raw); otherwise a generic RFC 6749 server (form body).</param>
    /// <param name="configure">Changes to the client options.</param>
    /// <param name="store">The refresh token store; a new in-memory one when null.</param>
    public static async Task<AuthorizationCodeHarness> StartAsync(bool apiGateway = true, Action<OAuth2ClientOptions>? configure = null, IRefreshTokenStore? store = null)
    {
        EmulatedOAuthServer server = apiGateway
            ? await EmulatedOAuthServer.StartWebMethodsApiGatewayAsync(Harness.ClientId, Harness.ClientSecret)
            : await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        var options = new OAuth2ClientOptions
        {
            ClientId = Harness.ClientId,
            ClientSecret = Harness.ClientSecret,
            Scope = Scope,
            MaxTokenRequestRetries = 0,

            // Tests of the 401 renewal revoke a token right after it was issued; the minimum age that bounds a 401
            // storm has its own tests (Http/BearerTokenHandler401PolicyTests), which set it back.
            MinTokenAgeForRenewal = TimeSpan.Zero,
        };
        if (apiGateway)
        {
            options.Profile = TokenEndpointProfile.WebMethodsApiGateway;
            options.ServerAddress = server.BaseAddress;
        }
        else
        {
            options.TokenEndpoint = server.TokenEndpoint;
            options.AuthorizationEndpoint = server.AuthorizationEndpoint;
        }

        configure?.Invoke(options);
        return new AuthorizationCodeHarness(server, options, store ?? new InMemoryRefreshTokenStore());
    }

    /// <summary>What the browser does: GET the authorization URL, follow the 302 to the loopback listener, keep the page.</summary>
    /// <remarks>Like a browser, it finishes loading the page even when the app has stopped waiting (the token is ignored).</remarks>
    public async Task FollowAsync(Uri url, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        using HttpResponseMessage response = await _browser.GetAsync(url, CancellationToken.None);
        LastPage = await response.Content.ReadAsStringAsync(CancellationToken.None);
    }

    /// <summary>Opens the authorization URL without following the redirect, and returns where the server sent the browser.</summary>
    public async Task<Uri> AuthorizeAsync(AuthorizationRequest request)
    {
        using HttpResponseMessage response = await _noRedirectBrowser.GetAsync(request.Url);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>Signs in through the loopback listener and returns the access token.</summary>
    public Task<OAuth2Token> SignInAsync() => Provider.SignInAsync(SignIn);

    public async Task<string?> StoredRefreshTokenAsync() => await Store.GetAsync(Provider.RefreshTokenStoreKey);

    /// <summary>Asserts that no client secret, Basic header, access or refresh token, code, or given extra secret appears in the text.</summary>
    public void AssertNoSecrets(string? text, params string[] extraSecrets)
    {
        if (text is null)
        {
            return;
        }

        Assert.DoesNotContain(Harness.ClientSecret, text, StringComparison.Ordinal);
        IEnumerable<string> secrets = Server.TokenRequests.Select(r => r.Authorization).OfType<string>().Select(basic => basic[6..])
            .Concat(Server.IssuedTokens)
            .Concat(Flow.IssuedRefreshTokens)
            .Concat(Flow.IssuedCodes)
            .Concat(extraSecrets);
        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        Provider.Dispose();
        LoggerFactory.Dispose();
        _browser.Dispose();
        _noRedirectBrowser.Dispose();
        await Server.DisposeAsync();
    }
}
