using System.Net;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Http;

/// <summary>
/// Requests that ask for their own scope (or resource, audience) through one client: one token per parameter set,
/// each reused, renewed after a 401 on its own, and a bounded number of sets.
/// </summary>
public sealed class PerRequestTokenParametersTests
{
    private const string Secret = "per-request-secret";

    [Fact]
    public async Task SendAsync_TwoScopesThroughOneClient_TwoTokensEachReused()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = Secret });
        using var provider = new ClientCredentialsTokenProvider(Options(server), timeProvider: TestClock.Create());
        var api = new RecordingApi();
        using var http = new HttpClient(new BearerTokenHandler(provider) { InnerHandler = api });

        for (int i = 0; i < 3; i++)
        {
            await SendAsync(http, "orders.read");
            await SendAsync(http, "reports.read");
            await SendAsync(http, null);
        }

        Assert.Equal(1, server.IssuedFor("orders.read"));
        Assert.Equal(1, server.IssuedFor("reports.read"));
        Assert.Equal(1, server.IssuedFor(null));
        Assert.Equal(3, server.Issued);
        Assert.Equal(3, api.Authorizations.Count(a => a.EndsWith("-orders.read", StringComparison.Ordinal)));
        Assert.Equal(3, api.Authorizations.Count(a => a.EndsWith("-reports.read", StringComparison.Ordinal)));
        Assert.Equal(3, api.Authorizations.Count(a => a.EndsWith("-default", StringComparison.Ordinal)));
        Assert.Equal(2, provider.ParameterSetCount);
    }

    [Fact]
    public async Task SendAsync_ConcurrentFirstCallsForOneScope_OneTokenRequest()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = Secret });
        using var provider = new ClientCredentialsTokenProvider(Options(server), timeProvider: TestClock.Create());
        using var http = new HttpClient(new BearerTokenHandler(provider) { InnerHandler = new RecordingApi() });

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => SendAsync(http, "orders.read"))));

        Assert.Equal(1, server.IssuedFor("orders.read"));
    }

    [Fact]
    public async Task WithParameters_InRefreshWindow_ServesCurrentTokenAndRenewsOnlyThatSetInBackground()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = Secret });
        var clock = TestClock.Create();
        using var provider = new ClientCredentialsTokenProvider(Options(server), timeProvider: clock);
        IOAuth2TokenProvider reports = provider.WithParameters(new OAuth2TokenParameters { Scope = "reports.read" });
        OAuth2Token defaultToken = await provider.GetTokenAsync();
        OAuth2Token first = await reports.GetTokenAsync();

        // The refresh point is 60 s before expiry, moved later by up to a fifth of the window (12 s) of jitter.
        clock.Advance(TimeSpan.FromSeconds(3600 - 60 + 12));
        OAuth2Token during = await reports.GetTokenAsync();
        await Eventually.WaitUntilAsync(() => server.IssuedFor("reports.read") == 2);
        OAuth2Token after = await reports.GetTokenAsync();

        Assert.Same(first, during);
        Assert.NotEqual(first.Value, after.Value);
        Assert.EndsWith("-reports.read", after.Value, StringComparison.Ordinal);
        Assert.Same(reports, provider.WithParameters(new OAuth2TokenParameters { Scope = "reports.read" }));
        Assert.Equal(1, server.IssuedFor(null));
        Assert.NotEqual(defaultToken.Value, first.Value);
    }

    [Fact]
    public async Task SendAsync_MoreSetsThanTheBound_NewSetRefusedNotSentExistingSetsKeepWorking()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = Secret });
        using var provider = new ClientCredentialsTokenProvider(Options(server, o => o.MaxTokenParameterSets = 2), timeProvider: TestClock.Create());
        var api = new RecordingApi();
        using var http = new HttpClient(new BearerTokenHandler(provider) { InnerHandler = api });
        await SendAsync(http, "a");
        await SendAsync(http, "b");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => SendAsync(http, "c"));
        await SendAsync(http, "a");
        await SendAsync(http, null);

        Assert.Contains("MaxTokenParameterSets", ex.Message, StringComparison.Ordinal);
        Assert.Contains("scope 'c'", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.IssuedFor("c"));
        Assert.Equal(4, api.Authorizations.Count);
        Assert.Equal(2, provider.ParameterSetCount);
    }

    [Fact]
    public async Task WithParameters_BoundZero_PerRequestParametersOff()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = Secret });
        using var provider = new ClientCredentialsTokenProvider(Options(server, o => o.MaxTokenParameterSets = 0));

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => provider.WithParameters(new OAuth2TokenParameters { Scope = "x" }));

        Assert.Contains("does not take per-request token parameters (MaxTokenParameterSets is 0)", ex.Message, StringComparison.Ordinal);
        Assert.Same(provider, provider.WithParameters(new OAuth2TokenParameters()));
    }

    [Fact]
    public async Task SendAsync_401ForOneScope_RenewsOnlyThatScopesToken()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = Secret });
        using var provider = new ClientCredentialsTokenProvider(Options(server, o => o.MinTokenAgeForRenewal = TimeSpan.Zero), timeProvider: TestClock.Create());
        var api = new RecordingApi();
        using var http = new HttpClient(new BearerTokenHandler(provider) { InnerHandler = api });
        await SendAsync(http, null);
        await SendAsync(http, "orders.read");

        api.RejectNext = true;
        HttpStatusCode status = await SendAsync(http, "orders.read");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, server.IssuedFor("orders.read"));
        Assert.Equal(1, server.IssuedFor(null));
        Assert.EndsWith("-orders.read", api.Authorizations[^1], StringComparison.Ordinal);
        Assert.NotEqual(api.Authorizations[^2], api.Authorizations[^1]);
    }

    [Fact]
    public async Task SendAsync_ProviderWithoutParameterSupport_ThrowsInsteadOfSendingAnotherToken()
    {
        var api = new RecordingApi();
        using var http = new HttpClient(new BearerTokenHandler(new FixedProvider()) { InnerHandler = api });

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => SendAsync(http, "orders.read"));

        Assert.Contains("does not support them", ex.Message, StringComparison.Ordinal);
        Assert.Empty(api.Authorizations);
    }

    [Fact]
    public async Task SendAsync_RefusedParameterSet_FaultedTaskNotSynchronousThrow()
    {
        await using VerifyingTokenServer server = await VerifyingTokenServer.StartAsync(new() { Secret = Secret });
        using var provider = new ClientCredentialsTokenProvider(Options(server, o => o.MaxTokenParameterSets = 0));
        var api = new RecordingApi();
        using var invoker = new HttpMessageInvoker(new BearerTokenHandler(provider) { InnerHandler = api });
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/api").SetOAuth2Scope("x");

        Task<HttpResponseMessage> sending = invoker.SendAsync(request, CancellationToken.None);

        Assert.True(sending.IsFaulted);
        await Assert.ThrowsAsync<OAuth2TokenException>(() => sending);
        Assert.Empty(api.Authorizations);
    }

    [Fact]
    public void SetOAuth2Scope_StoredOnRequest_ReadBack()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/");
        using var plain = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/");

        request.SetOAuth2Scope(" reports.read ");

        Assert.Equal(new OAuth2TokenParameters { Scope = "reports.read" }, request.GetOAuth2TokenParameters());
        Assert.Null(plain.GetOAuth2TokenParameters());
        Assert.Throws<ArgumentException>(() => request.SetOAuth2Scope(" "));
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient http, string? scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/api");
        if (scope is not null)
        {
            request.SetOAuth2Scope(scope);
        }

        using HttpResponseMessage response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static OAuth2ClientOptions Options(VerifyingTokenServer server, Action<OAuth2ClientOptions>? configure = null)
    {
        var options = new OAuth2ClientOptions
        {
            TokenEndpoint = server.TokenEndpoint,
            ClientId = Harness.ClientId,
            ClientSecret = Secret,
            MaxTokenRequestRetries = 0,
        };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>The API: records the bearer token of each request; answers 401 (blaming the token) once when asked.</summary>
    private sealed class RecordingApi : HttpMessageHandler
    {
        private readonly List<string> _authorizations = [];

        public bool RejectNext { get; set; }

        public IReadOnlyList<string> Authorizations
        {
            get
            {
                lock (_authorizations)
                {
                    return [.. _authorizations];
                }
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_authorizations)
            {
                _authorizations.Add(request.Headers.Authorization?.Parameter ?? "(none)");
            }

            if (RejectNext)
            {
                RejectNext = false;
                var rejected = new HttpResponseMessage(HttpStatusCode.Unauthorized);
                rejected.Headers.WwwAuthenticate.ParseAdd("Bearer error=\"invalid_token\"");
                return Task.FromResult(rejected);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    private sealed class FixedProvider : IOAuth2TokenProvider
    {
        private readonly OAuth2Token _token = new("fixed", DateTimeOffset.UtcNow.AddHours(1));

        public ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_token);

        public ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejectedToken, CancellationToken cancellationToken = default) => ValueTask.FromResult(_token);
    }
}
