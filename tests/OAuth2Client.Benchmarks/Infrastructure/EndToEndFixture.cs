using System.Net.Http.Headers;
using OAuth2Client.Testing;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>
/// The loopback setup of the end-to-end benchmarks: the emulator as token endpoint, a warmed
/// <see cref="ClientCredentialsTokenProvider"/>, a <see cref="LoopbackApi"/> that accepts exactly the cached token,
/// and two clients with one <see cref="SocketsHttpHandler"/> each: <see cref="Plain"/> carries the token as a fixed
/// default header, <see cref="Bearer"/> gets it from <see cref="BearerTokenHandler"/>.
/// </summary>
internal sealed class EndToEndFixture : IAsyncDisposable
{
    public const string Path = "api/orders";

    private readonly EmulatedOAuthServer _tokenServer;
    private readonly ClientCredentialsTokenProvider _provider;
    private readonly LoopbackApi _api;

    public EndToEndFixture()
    {
        _tokenServer = TokenServer.Start();
        _provider = new ClientCredentialsTokenProvider(TokenServer.OptionsFor(_tokenServer));
        OAuth2Token token = _provider.GetTokenAsync().AsTask().GetAwaiter().GetResult();

        _api = LoopbackApi.Start("Bearer " + token.Value);
        Plain = new HttpClient(new SocketsHttpHandler()) { BaseAddress = _api.Address };
        Plain.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        Bearer = new HttpClient(new BearerTokenHandler(_provider) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = _api.Address };
    }

    public HttpClient Plain { get; }

    public HttpClient Bearer { get; }

    /// <summary>Opens the connections both clients will use, and checks that both are authorized and no token was fetched twice.</summary>
    public void Warm(int callers)
    {
        SendAsync(Plain, callers, callers * 4).GetAwaiter().GetResult();
        SendAsync(Bearer, callers, callers * 4).GetAwaiter().GetResult();
        if (_tokenServer.TokenRequestCount != 1)
        {
            throw new InvalidOperationException($"Expected one token request, saw {_tokenServer.TokenRequestCount}.");
        }
    }

    /// <summary><paramref name="requests"/> GET requests split between <paramref name="callers"/> concurrent callers, each sending its share one after another.</summary>
    public static Task SendAsync(HttpClient client, int callers, int requests)
    {
        var running = new Task[callers];
        for (int i = 0; i < callers; i++)
        {
            running[i] = CallAsync(client, requests / callers);
        }

        return Task.WhenAll(running);
    }

    public async ValueTask DisposeAsync()
    {
        Plain.Dispose();
        Bearer.Dispose();
        _provider.Dispose();
        await _api.DisposeAsync().ConfigureAwait(false);
        await _tokenServer.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task CallAsync(HttpClient client, int requests)
    {
        for (int i = 0; i < requests; i++)
        {
            using HttpResponseMessage response = await client.GetAsync(Path).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        }
    }
}
