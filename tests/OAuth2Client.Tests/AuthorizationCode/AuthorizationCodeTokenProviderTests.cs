using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.AuthorizationCode;

public sealed class AuthorizationCodeTokenProviderTests
{
    private static readonly Uri FixedRedirect = new("http://127.0.0.1:50123/callback");

    [Fact]
    public async Task CreateAuthorizationRequest_ApiGatewayProfile_BuildsUrlWithPkceS256AndState()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();

        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);
        Dictionary<string, string> query = Query(request.Url);

        Assert.Equal(new Uri(h.Server.BaseAddress, "invoke/pub.apigateway.oauth2/authorize").AbsoluteUri, request.Url.GetLeftPart(UriPartial.Path));
        Assert.Equal(["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"], query.Keys);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(Harness.ClientId, query["client_id"]);
        Assert.Equal("http://127.0.0.1:50123/callback", query["redirect_uri"]);
        Assert.Equal(AuthorizationCodeHarness.Scope, query["scope"]);
        Assert.Equal(request.State, query["state"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(AuthorizationCodeFlow.S256(request.Pkce.CodeVerifier), query["code_challenge"]);
        Assert.DoesNotContain(request.Pkce.CodeVerifier, request.Url.AbsoluteUri, StringComparison.Ordinal);
        Assert.True(request.State.Length >= 43);
    }

    [Fact]
    public async Task CreateAuthorizationRequest_TwoRequests_HaveFreshStateAndVerifier()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();

        AuthorizationRequest first = h.Provider.CreateAuthorizationRequest(FixedRedirect);
        AuthorizationRequest second = h.Provider.CreateAuthorizationRequest(FixedRedirect);

        Assert.NotEqual(first.State, second.State);
        Assert.NotEqual(first.Pkce.CodeVerifier, second.Pkce.CodeVerifier);
    }

    [Fact]
    public async Task CreateAuthorizationRequest_InvalidRedirect_Throws()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();

        Assert.Throws<ArgumentNullException>(() => h.Provider.CreateAuthorizationRequest(null!));
        Assert.Throws<ArgumentException>(() => h.Provider.CreateAuthorizationRequest(new Uri("/callback", UriKind.Relative)));
        Assert.Throws<ArgumentException>(() => h.Provider.CreateAuthorizationRequest(new Uri("http://127.0.0.1:5000/callback#frag")));
    }

    [Fact]
    public async Task AuthorizationRequest_ToString_HidesQueryStateAndVerifier()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);

        string text = request.ToString();

        Assert.DoesNotContain(request.State, text, StringComparison.Ordinal);
        Assert.DoesNotContain(request.Pkce.CodeVerifier, text, StringComparison.Ordinal);
        Assert.DoesNotContain("?", text, StringComparison.Ordinal);
        Assert.Contains("invoke/pub.apigateway.oauth2/authorize", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInAsync_ApiGateway_ExchangesCodePerSeedAndCallsApi()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();

        OAuth2Token token = await h.SignInAsync();

        await Eventually.WaitUntilAsync(() => h.LastPage is not null); // the browser finishes loading on its own
        Assert.Contains("You may close this window", h.LastPage, StringComparison.Ordinal);
        Assert.True(h.Server.IsValid(token.Value));
        RecordedRequest exchange = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("POST", exchange.Method);
        Assert.Equal("/invoke/pub.apigateway.oauth2/getAccessToken", exchange.Path);
        Assert.Equal(Harness.RawBasicHeader, exchange.Authorization);
        Assert.StartsWith("application/json", exchange.ContentType, StringComparison.Ordinal);
        Dictionary<string, string> body = JsonSerializer.Deserialize<Dictionary<string, string>>(exchange.Body)!;
        Assert.Equal(["client_id", "code", "code_verifier", "grant_type", "redirect_uri", "scope"], body.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("authorization_code", body["grant_type"]);
        Assert.Equal(Assert.Single(h.Flow.IssuedCodes), body["code"]);
        Assert.Equal(Harness.ClientId, body["client_id"]);
        Assert.Equal(AuthorizationCodeHarness.Scope, body["scope"]);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/callback$", body["redirect_uri"]);
        Assert.Equal(Assert.Single(h.Flow.IssuedRefreshTokens), await h.StoredRefreshTokenAsync());

        using HttpResponseMessage response = await h.Api.GetAsync("orders");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bearer " + token.Value, h.Server.ApiRequests[0].Authorization);
        Assert.Equal(1, h.Flow.AuthorizeRequestCount);
    }

    [Fact]
    public async Task ExchangeCodeAsync_ServerUnavailable_CodeNeverSentTwice()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync(configure: o =>
        {
            o.MaxTokenRequestRetries = 2;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        h.Server.TokenReplyOverride = (_, _) => TokenReply.Json(503, "{\"error\":\"temporarily_unavailable\"}");

        await Assert.ThrowsAsync<OAuth2TokenException>(() => h.SignInAsync());

        Assert.Equal(1, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task ExchangeCodeAsync_ProfileWithoutGrantType_StillNamesAuthorizationCodeGrant()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync(
            apiGateway: false,
            configure: o => o.Profile = TokenEndpointProfile.Rfc6749 with { SendGrantType = false });
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);

        await h.Provider.ExchangeCodeAsync(request, await h.AuthorizeAsync(request));

        Assert.Contains("grant_type=authorization_code", h.Server.TokenRequests[0].BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInAsync_WhileOlderRefreshInFlight_NewSignInWins()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        await h.SignInAsync();
        h.Time.Advance(TimeSpan.FromHours(1)); // stale: the next call refreshes
        using var refreshHeld = new ManualResetEventSlim();
        h.Server.TokenReplyOverride = (request, _) =>
        {
            if (request.BodyText.Contains("refresh_token", StringComparison.Ordinal))
            {
                refreshHeld.Wait(TimeSpan.FromSeconds(20));
            }

            return null;
        };

        Task<OAuth2Token> olderRefresh = h.Provider.GetTokenAsync().AsTask();
        await Eventually.WaitUntilAsync(() => h.Server.TokenRequestCount == 2);
        OAuth2Token newSignIn = await h.SignInAsync();
        refreshHeld.Set();
        await olderRefresh;

        Assert.Same(newSignIn, await h.Provider.GetTokenAsync());
        Assert.Equal(3, h.Flow.IssuedRefreshTokens.Count); // first sign-in, new sign-in, then the held refresh's rotation
        Assert.Equal(h.Flow.IssuedRefreshTokens[1], await h.StoredRefreshTokenAsync()); // the new sign-in's, not the rotated older one
    }

    [Fact]
    public async Task ExchangeCodeAsync_Rfc6749Server_SendsSameExchangeAsFormBody()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync(apiGateway: false);
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);
        Uri callback = await h.AuthorizeAsync(request);

        OAuth2Token token = await h.Provider.ExchangeCodeAsync(request, callback);

        Assert.True(h.Server.IsValid(token.Value));
        RecordedRequest exchange = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("application/x-www-form-urlencoded", exchange.ContentType);
        Assert.StartsWith("Basic ", exchange.Authorization, StringComparison.Ordinal);
        Dictionary<string, string> body = QueryHelpers.ParseQuery(exchange.BodyText).ToDictionary(p => p.Key, p => p.Value.ToString());
        Assert.Equal(["client_id", "code", "code_verifier", "grant_type", "redirect_uri", "scope"], body.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("authorization_code", body["grant_type"]);
        Assert.Equal(FixedRedirect.OriginalString, body["redirect_uri"]);
        Assert.Equal(request.Pkce.CodeVerifier, body["code_verifier"]);
    }

    [Fact]
    public async Task SignInAsync_PublicClient_SendsClientIdWithoutBasicHeader()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync(apiGateway: false, configure: o => o.ClientSecret = null);
        h.Flow.AllowPublicClients = true;

        OAuth2Token token = await h.SignInAsync();

        Assert.True(h.Server.IsValid(token.Value));
        RecordedRequest exchange = Assert.Single(h.Server.TokenRequests);
        Assert.Null(exchange.Authorization);
        Dictionary<string, string> body = QueryHelpers.ParseQuery(exchange.BodyText).ToDictionary(p => p.Key, p => p.Value.ToString());
        Assert.Equal(Harness.ClientId, body["client_id"]);
        Assert.False(body.ContainsKey("client_secret"));
    }

    [Fact]
    public async Task SignInAsync_StateAlteredOnTheWay_RedirectRefusedAndNoCodeRedeemed()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        using var userGivesUp = new CancellationTokenSource();
        LoopbackSignInOptions signIn = h.SignIn;
        signIn.OpenBrowser = async (url, ct) =>
        {
            string state = Query(url)["state"];
            await h.FollowAsync(new Uri(url.AbsoluteUri.Replace("state=" + state, "state=forged-by-attacker", StringComparison.Ordinal)), ct);
            await userGivesUp.CancelAsync();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Provider.SignInAsync(signIn, userGivesUp.Token));

        await Eventually.WaitUntilAsync(() => h.LastPage is not null); // the browser finishes loading on its own
        Assert.Contains("does not belong to the sign-in in progress", h.LastPage, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.TokenRequestCount);
        Assert.Null(await h.StoredRefreshTokenAsync());
    }

    [Theory]
    [InlineData("state=wrong")]
    [InlineData("")]
    public async Task ExchangeCodeAsync_WrongOrMissingState_ThrowsBeforeAnyTokenRequest(string stateParameter)
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);
        string code = Query(await h.AuthorizeAsync(request))["code"];

        var callback = new Uri($"{FixedRedirect}?code={code}&{stateParameter}");
        OAuth2AuthorizationException ex = await Assert.ThrowsAsync<OAuth2AuthorizationException>(() => h.Provider.ExchangeCodeAsync(request, callback));

        Assert.Contains("state", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.TokenRequestCount);
        h.AssertNoSecrets(ex.Message, request.State);
    }

    [Fact]
    public async Task SignInAsync_UserDenies_ThrowsAccessDenied()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        h.Flow.DenyAccess = true;

        OAuth2AuthorizationException ex = await Assert.ThrowsAsync<OAuth2AuthorizationException>(() => h.SignInAsync());

        Assert.Equal("access_denied", ex.Error);
        Assert.Contains("denied access", ex.Message, StringComparison.Ordinal);
        await Eventually.WaitUntilAsync(() => h.LastPage is not null); // the browser finishes loading on its own
        Assert.Contains("not completed", h.LastPage, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task ExchangeCodeAsync_ServerErrorInRedirect_ThrowsWithErrorAndDescription()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);

        var callback = new Uri($"{FixedRedirect}?error=server_error&error_description=Gateway+is+down&state={request.State}");
        OAuth2AuthorizationException ex = await Assert.ThrowsAsync<OAuth2AuthorizationException>(() => h.Provider.ExchangeCodeAsync(request, callback));

        Assert.Equal("server_error", ex.Error);
        Assert.Equal("Gateway is down", ex.ErrorDescription);
        Assert.Contains("refused the sign-in with error 'server_error': Gateway is down", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExchangeCodeAsync_StrictServerRefusesMissingPkce_ReportsInvalidRequest()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        var plain = new Uri(request.Url.AbsoluteUri.Replace("code_challenge_method=S256", "code_challenge_method=plain", StringComparison.Ordinal));
        using HttpResponseMessage response = await browser.GetAsync(plain);

        OAuth2AuthorizationException ex = await Assert.ThrowsAsync<OAuth2AuthorizationException>(() => h.Provider.ExchangeCodeAsync(request, response.Headers.Location!));

        Assert.Equal("invalid_request", ex.Error);
        Assert.Empty(h.Flow.IssuedCodes);
    }

    [Fact]
    public async Task ExchangeCodeAsync_CallbackAtAnotherAddress_Throws()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);

        await Assert.ThrowsAsync<ArgumentException>(() => h.Provider.ExchangeCodeAsync(request, new Uri($"http://evil.example.com/callback?code=x&state={request.State}")));
        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Provider.ExchangeCodeAsync(null!, FixedRedirect));
        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Provider.ExchangeCodeAsync(request, null!));
    }

    [Fact]
    public async Task ExchangeCodeAsync_CodeReused_RejectedAndTokensOfFirstUseRevoked()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);
        Uri callback = await h.AuthorizeAsync(request);
        OAuth2Token first = await h.Provider.ExchangeCodeAsync(request, callback);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.ExchangeCodeAsync(request, callback));

        Assert.Equal("invalid_grant", ex.Error);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.False(h.Server.IsValid(first.Value));
        Assert.False(h.Flow.IsValidRefreshToken(h.Flow.IssuedRefreshTokens[0]));
    }

    [Fact]
    public async Task ExchangeCodeAsync_VerifierOfAnotherRequest_Rejected()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);
        Uri callback = await h.AuthorizeAsync(request);
        var wrongVerifier = new AuthorizationRequest(request.Url, request.RedirectUri, request.State, PkceCodes.Create());

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.ExchangeCodeAsync(wrongVerifier, callback));

        Assert.Equal("invalid_grant", ex.Error);
        Assert.Contains("code_verifier does not match", ex.ErrorDescription, StringComparison.Ordinal);
        Assert.Empty(h.Server.IssuedTokens);
        h.AssertNoSecrets(ex.Message, wrongVerifier.Pkce.CodeVerifier, request.Pkce.CodeVerifier);
    }

    [Fact]
    public async Task GetTokenAsync_NobodySignedIn_ThrowsSignInRequiredWithoutTokenRequest()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();

        OAuth2SignInRequiredException ex = await Assert.ThrowsAsync<OAuth2SignInRequiredException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains("SignInAsync", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.TokenRequestCount);
        Assert.IsAssignableFrom<OAuth2TokenException>(ex);
    }

    [Fact]
    public async Task GetTokenAsync_AfterSignInBeforeRefreshPoint_ReturnsSignedInTokenWithoutRequest()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        OAuth2Token signedIn = await h.SignInAsync();

        h.Time.Advance(TimeSpan.FromSeconds(3600 - 61));
        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.Same(signedIn, token);
        Assert.Equal(1, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task GetTokenAsync_InRefreshWindow_RefreshesAheadAndStoresRotatedRefreshToken()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        OAuth2Token signedIn = await h.SignInAsync();
        string firstRefreshToken = (await h.StoredRefreshTokenAsync())!;

        h.Time.Advance(TimeSpan.FromSeconds(3600 - 60 + 12)); // past the refresh point and its jitter, still usable
        OAuth2Token during = await h.Provider.GetTokenAsync();
        await Eventually.WaitUntilAsync(() => h.Provider.Source.Current?.Token != signedIn);
        OAuth2Token refreshed = await h.Provider.GetTokenAsync();

        Assert.Same(signedIn, during);
        Assert.NotEqual(signedIn.Value, refreshed.Value);
        Assert.Equal(1, h.Flow.RefreshRequestCount);
        RecordedRequest refresh = h.Server.TokenRequests[1];
        Assert.StartsWith("Basic ", refresh.Authorization, StringComparison.Ordinal);
        Dictionary<string, string> body = JsonSerializer.Deserialize<Dictionary<string, string>>(refresh.Body)!;
        Assert.Equal("refresh_token", body["grant_type"]);
        Assert.Equal(firstRefreshToken, body["refresh_token"]);
        Assert.Equal(Harness.ClientId, body["client_id"]);
        string? rotated = await h.StoredRefreshTokenAsync();
        Assert.Equal(h.Flow.IssuedRefreshTokens[1], rotated);
        Assert.False(h.Flow.IsValidRefreshToken(firstRefreshToken));
        Assert.True(h.Flow.IsValidRefreshToken(rotated!));
    }

    [Fact]
    public async Task SendAsync_PastAccessTokenExpiry_KeepsWorkingWithRefreshedTokens()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        await h.SignInAsync();

        for (int hour = 0; hour < 3; hour++)
        {
            using HttpResponseMessage response = await h.Api.GetAsync("orders");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            h.Time.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(2, h.Flow.RefreshRequestCount);
        Assert.Equal(1, h.Flow.AuthorizeRequestCount);
        Assert.Equal(3, h.Server.ApiRequests.Select(r => r.Authorization).Distinct().Count());
    }

    [Fact]
    public async Task GetTokenAsync_ConcurrentCallersAtExpiry_CauseOneRefresh()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        await h.SignInAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.TokenResponseGate = gate.Task;

        int joined = 0;

        Task<OAuth2Token>[] callers = Enumerable.Range(0, 100).Select(_ => Task.Run(() =>
        {
            Task<OAuth2Token> call = h.Provider.GetTokenAsync().AsTask();
            Interlocked.Increment(ref joined); // the call has returned: its caller now waits on a flight (or has a token)
            return call;
        })).ToArray();
        await Eventually.WaitUntilAsync(() => Volatile.Read(ref joined) == 100 && h.Server.TokenRequestCount == 2);

        // While the server holds the refresh, every caller is waiting on it and the server saw exactly one refresh.
        Assert.All(callers, c => Assert.False(c.IsCompleted));
        Assert.Equal(2, h.Server.TokenRequestCount);
        Assert.Contains("refresh_token", h.Server.TokenRequests[1].BodyText, StringComparison.Ordinal);
        gate.SetResult();
        OAuth2Token[] tokens = await Task.WhenAll(callers);

        Assert.Equal(1, h.Flow.RefreshRequestCount);
        Assert.All(tokens, t => Assert.Same(tokens[0], t));
    }

    [Fact]
    public async Task GetTokenAsync_RefreshTokenRevoked_ThrowsSignInRequiredAndForgetsIt()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        await h.SignInAsync();
        h.Flow.RevokeRefreshTokens();
        h.Time.Advance(TimeSpan.FromHours(1));

        OAuth2SignInRequiredException ex = await Assert.ThrowsAsync<OAuth2SignInRequiredException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_grant", ex.Error);
        Assert.Contains("Sign in again", ex.Message, StringComparison.Ordinal);
        Assert.Null(await h.StoredRefreshTokenAsync());
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.RefreshTokenRejected);

        // Nothing left to try: the next caller is told at once, without another request.
        await Assert.ThrowsAsync<OAuth2SignInRequiredException>(() => h.Provider.GetTokenAsync().AsTask());
        Assert.Equal(1, h.Flow.RefreshRequestCount);

        // Signing in again restores service.
        OAuth2Token token = await h.SignInAsync();
        Assert.Same(token, await h.Provider.GetTokenAsync());
    }

    [Fact]
    public async Task SendAsync_ApiAnswers401_RefreshesOnceAndRetriesOnce()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        OAuth2Token signedIn = await h.SignInAsync();
        h.Server.RevokeAllTokens();

        using HttpResponseMessage response = await h.Api.PostAsync("orders", new StringContent("{\"order\":42}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, h.Flow.RefreshRequestCount);
        Assert.Equal(2, h.Server.ApiRequestCount);
        Assert.Equal("Bearer " + signedIn.Value, h.Server.ApiRequests[0].Authorization);
        Assert.Equal("Bearer " + h.Server.IssuedTokens[1], h.Server.ApiRequests[1].Authorization);
        Assert.Equal(h.Server.ApiRequests[0].BodySha256, h.Server.ApiRequests[1].BodySha256);
    }

    [Fact]
    public async Task SendAsync_ApiAnswers401AndRefreshTokenRevoked_ThrowsSignInRequired()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        await h.SignInAsync();
        h.Server.RevokeAllTokens();
        h.Flow.RevokeRefreshTokens();

        await Assert.ThrowsAsync<OAuth2SignInRequiredException>(() => h.Api.GetAsync("orders"));

        Assert.Equal(1, h.Server.ApiRequestCount);
    }

    [Fact]
    public async Task GetTokenAsync_RefreshTokenPersistedByEarlierProvider_RenewsWithoutBrowser()
    {
        var store = new InMemoryRefreshTokenStore();
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync(store: store);
        await h.SignInAsync();
        using var restarted = new AuthorizationCodeTokenProvider(h.Options, store);

        OAuth2Token token = await restarted.GetTokenAsync();

        Assert.True(h.Server.IsValid(token.Value));
        Assert.Equal(1, h.Flow.AuthorizeRequestCount);
        Assert.Equal(1, h.Flow.RefreshRequestCount);
        Assert.Equal(h.Flow.IssuedRefreshTokens[^1], await store.GetAsync(h.Provider.RefreshTokenStoreKey));
    }

    [Fact]
    public async Task GetTokenAsync_ServerDoesNotRotate_KeepsUsingSameRefreshToken()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        h.Flow.RotateRefreshTokens = false;
        await h.SignInAsync();
        string? refreshToken = await h.StoredRefreshTokenAsync();

        for (int i = 0; i < 2; i++)
        {
            h.Time.Advance(TimeSpan.FromHours(1));
            await h.Provider.GetTokenAsync();
        }

        Assert.Equal(2, h.Flow.RefreshRequestCount);
        Assert.Equal(refreshToken, await h.StoredRefreshTokenAsync());
    }

    [Fact]
    public async Task ExchangeCodeAsync_NoRefreshTokenIssued_ForgetsOlderOneAndRequiresSignInAtExpiry()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        await h.SignInAsync();
        h.Flow.IssueRefreshTokens = false;

        await h.SignInAsync();
        h.Time.Advance(TimeSpan.FromHours(1));

        Assert.Null(await h.StoredRefreshTokenAsync());
        await Assert.ThrowsAsync<OAuth2SignInRequiredException>(() => h.Provider.GetTokenAsync().AsTask());
        Assert.Equal(0, h.Flow.RefreshRequestCount);
    }

    [Fact]
    public async Task SignInAsync_NoRedirectInTime_ThrowsAuthorizationExceptionWithTimeout()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        var opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var signIn = new LoopbackSignInOptions
        {
            Timeout = TimeSpan.FromMinutes(2),
            OpenBrowser = (_, _) =>
            {
                opened.SetResult();
                return Task.CompletedTask;
            },
        };

        Task<OAuth2Token> signingIn = h.Provider.SignInAsync(signIn);
        await opened.Task;
        h.Time.Advance(TimeSpan.FromMinutes(2));
        OAuth2AuthorizationException ex = await Assert.ThrowsAsync<OAuth2AuthorizationException>(() => signingIn);

        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Contains("did not complete within 00:02:00", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task SignInAsync_CallerCancels_ThrowsOperationCanceled()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        using var cts = new CancellationTokenSource();
        var signIn = new LoopbackSignInOptions { OpenBrowser = (_, _) => cts.CancelAsync() };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Provider.SignInAsync(signIn, cts.Token));

        Assert.Equal(0, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task SignInAsync_InvalidOptions_ThrowsListingEveryProblem()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        var signIn = new LoopbackSignInOptions { CallbackPath = "callback", Port = 70000, Timeout = TimeSpan.Zero };

        ArgumentException ex = await Assert.ThrowsAsync<ArgumentException>(() => h.Provider.SignInAsync(signIn));

        Assert.Contains("CallbackPath", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Port", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Timeout", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Provider.SignInAsync(null!));
    }

    [Fact]
    public void Constructor_NoAuthorizationEndpoint_ThrowsNamingTheOption()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("https://idp.example.com/token"), ClientId = "app" };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => new AuthorizationCodeTokenProvider(options));

        Assert.Contains("AuthorizationEndpoint is required for the authorization-code grant", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://idp.example.com/authorize", "uses plain http on a host that is not loopback")]
    [InlineData("ftp://idp.example.com/authorize", "must use https")]
    public void Constructor_UnsafeAuthorizationEndpoint_Rejected(string endpoint, string expected)
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("https://idp.example.com/token"), AuthorizationEndpoint = new Uri(endpoint), ClientId = "app" };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => new AuthorizationCodeTokenProvider(options));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ApiGatewayProfileWithoutSecret_DerivesEndpointsAndAllowsPublicClient()
    {
        var options = new OAuth2ClientOptions
        {
            Profile = TokenEndpointProfile.WebMethodsApiGateway,
            ServerAddress = new Uri("https://gw.example.com/"),
            ClientId = "app",
        };

        using var provider = new AuthorizationCodeTokenProvider(options);

        Assert.Equal(
            "AuthorizationCodeTokenProvider { ClientId = app, AuthorizationEndpoint = https://gw.example.com/invoke/pub.apigateway.oauth2/authorize, TokenEndpoint = https://gw.example.com/invoke/pub.apigateway.oauth2/getAccessToken, Profile = WebMethodsApiGateway }",
            provider.ToString());
        Assert.Throws<ArgumentNullException>(() => new AuthorizationCodeTokenProvider(null!));
    }

    [Fact]
    public void Constructor_ClientCredentialsStillRequiresSecret()
    {
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("https://idp.example.com/token"), AuthorizationEndpoint = new Uri("https://idp.example.com/authorize"), ClientId = "app" };

        Assert.Throws<ArgumentException>(() => new ClientCredentialsTokenProvider(options));
    }

    [Fact]
    public async Task EveryFlow_LogsMessagesAndDescriptions_NeverContainSecrets()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        var texts = new List<string?>();
        AuthorizationRequest request = h.Provider.CreateAuthorizationRequest(FixedRedirect);
        texts.Add(request.ToString());
        texts.Add(request.Pkce.ToString());
        texts.Add(h.Provider.ToString());
        Uri callback = await h.AuthorizeAsync(request);
        texts.Add((await Record(() => h.Provider.ExchangeCodeAsync(request, new Uri(callback.AbsoluteUri.Replace(request.State, "forged", StringComparison.Ordinal)))))?.ToString());
        texts.Add((await h.Provider.ExchangeCodeAsync(request, callback)).ToString());
        texts.Add((await Record(() => h.Provider.ExchangeCodeAsync(request, callback)))?.ToString());
        await h.SignInAsync();
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.Provider.GetTokenAsync();
        h.Flow.RevokeRefreshTokens();
        h.Time.Advance(TimeSpan.FromHours(1));
        texts.Add((await Record(() => h.Provider.GetTokenAsync().AsTask()))?.ToString());
        texts.Add(h.Logs.AllText());
        texts.AddRange(h.Logs.GetSnapshot().Select(r => r.Exception?.ToString()));

        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.SignInStarted);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.SignedIn);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.SignInFailed);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.RefreshTokenRotated);
        Assert.Contains(h.Logs.GetSnapshot(), r => r.Id.Id == Log.EventIds.RefreshTokenRejected);
        Assert.All(texts, t => h.AssertNoSecrets(t, request.State, request.Pkce.CodeVerifier));
    }

    private static async Task<Exception?> Record(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception ex)
        {
            return ex;
        }
    }

    private static Dictionary<string, string> Query(Uri uri)
        => QueryHelpers.ParseQuery(uri.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
}
