using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Diagnostics;

/// <summary>
/// Spans and measurements per scenario, and a leak scan over all of them. Listeners are process-wide: the tests run
/// in the serial collection, and each keeps only the telemetry of its own client name.
/// </summary>
[Collection(nameof(ConsoleOutputTests))]
public sealed class TelemetryTests
{
    private static string NewName() => "obs-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Fetch_IsAChildSpanOfTheCallersActivity_WithConventionalAttributes_AndMeasured()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o => o.Name = name);

        using (Activity caller = TelemetryCapture.TestSource.StartActivity("GET orders")!)
        {
            using HttpResponseMessage response = await h.Api.GetAsync("orders");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Activity span = Assert.Single(capture.SpansNamed(ClientTelemetry.TokenRequestSpan));
            Assert.Equal(caller.SpanId, span.ParentSpanId);
            Assert.Equal(caller.TraceId, span.TraceId);
        }

        Activity request = Assert.Single(capture.SpansNamed(ClientTelemetry.TokenRequestSpan));
        Assert.Equal(ActivityKind.Client, request.Kind);
        Assert.Equal(ActivityStatusCode.Unset, request.Status);
        Assert.Equal(name, request.GetTagItem("oauth2.client.name"));
        Assert.Equal(Harness.ClientId, request.GetTagItem("oauth2.client_id"));
        Assert.Equal("client_credentials", request.GetTagItem("oauth2.grant_type"));
        Assert.Equal("Rfc6749", request.GetTagItem("oauth2.profile"));
        Assert.Equal(h.Server.TokenEndpoint.Host, request.GetTagItem("server.address"));
        Assert.Equal(h.Server.TokenEndpoint.Port, request.GetTagItem("server.port"));
        Assert.Equal(200, request.GetTagItem("http.response.status_code"));
        Assert.Null(request.GetTagItem("error.type"));
        Assert.Equal(ClientTelemetry.SourceName, request.Source.Name);
        Assert.Equal(OAuth2Metrics.Version, request.Source.Version);

        CollectedMeasurementAssert(capture.Durations, name, errorType: null, h.Server.TokenEndpoint);
        Assert.Equal(1, capture.Sum(OAuth2Metrics.CacheLookupsName, ("oauth2.cache.level", "l1"), ("oauth2.cache.result", "miss")));
        Assert.Equal(0, capture.Sum(OAuth2Metrics.CacheLookupsName, ("oauth2.cache.level", "l1"), ("oauth2.cache.result", "hit")));
    }

    [Fact]
    public async Task CacheHit_CountsAnL1Hit_WithoutASpan()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o => o.Name = name);

        using (await h.Api.GetAsync("orders"))
        {
        }

        using (await h.Api.GetAsync("orders"))
        {
        }

        using (await h.Api.GetAsync("orders"))
        {
        }

        Assert.Single(capture.Spans);
        Assert.Single(capture.Durations);
        Assert.Equal(2, capture.Sum(OAuth2Metrics.CacheLookupsName, ("oauth2.cache.level", "l1"), ("oauth2.cache.result", "hit")));
        Assert.All(capture.Counts(OAuth2Metrics.CacheLookupsName), m => Assert.Equal(Harness.ClientId, m.Tags["oauth2.client_id"]));
    }

    [Fact]
    public async Task Retry_IsAnEventOnTheTokenRequestSpan()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o =>
        {
            o.Name = name;
            o.MaxTokenRequestRetries = 2;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        h.Server.FailNextTokenRequests(1, TokenFault.ServiceUnavailable());

        await h.Provider.GetTokenAsync();

        Activity span = Assert.Single(capture.SpansNamed(ClientTelemetry.TokenRequestSpan));
        ActivityEvent retry = Assert.Single(span.Events);
        Assert.Equal("oauth2.retry", retry.Name);
        Assert.Equal(2, retry.Tags.Single(t => t.Key == "oauth2.attempt").Value);
        Assert.Equal(2, span.GetTagItem("oauth2.attempts"));
        Assert.Equal(200, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Single(capture.Durations);
    }

    [Fact]
    public async Task Failure_SetsErrorTypeToTheOAuth2ErrorCode_AndOpensACooldown()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o =>
        {
            o.Name = name;
            o.ClientSecret = "wrong-secret-value";
        });

        await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Activity span = Assert.Single(capture.SpansNamed(ClientTelemetry.TokenRequestSpan));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("invalid_client", span.StatusDescription);
        Assert.Equal("invalid_client", span.GetTagItem("error.type"));
        Assert.Equal(401, span.GetTagItem("http.response.status_code"));
        CollectedMeasurementAssert(capture.Durations, name, "invalid_client", h.Server.TokenEndpoint);
        Assert.Equal(1, capture.Sum(OAuth2Metrics.CooldownsName, ("error.type", "invalid_client")));
    }

    [Fact]
    public async Task Unreachable_SetsErrorTypeToTheExceptionType()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o => o.Name = name);
        h.Server.FailNextTokenRequests(1, TokenFault.DropConnection());

        await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Activity span = Assert.Single(capture.SpansNamed(ClientTelemetry.TokenRequestSpan));
        Assert.Equal(typeof(HttpRequestException).FullName, span.GetTagItem("error.type"));
        Assert.Null(span.GetTagItem("http.response.status_code"));
        Assert.Equal(typeof(HttpRequestException).FullName, Assert.Single(capture.Durations).Tags["error.type"]);
    }

    [Fact]
    public async Task UnauthorizedRenewal_IsASpanAroundTheNewTokenRequest_AndCounted()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o => o.Name = name);
        using (await h.Api.GetAsync("orders"))
        {
        }

        h.Server.RevokeAllTokens();
        using (Activity caller = TelemetryCapture.TestSource.StartActivity("GET orders")!)
        {
            using HttpResponseMessage response = await h.Api.GetAsync("orders");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Activity renewal = Assert.Single(capture.SpansNamed(ClientTelemetry.UnauthorizedRenewalSpan));
            Assert.Equal(caller.SpanId, renewal.ParentSpanId);
            Assert.Equal("renewed", renewal.GetTagItem("oauth2.renewal.result"));
            Activity second = capture.SpansNamed(ClientTelemetry.TokenRequestSpan)[1];
            Assert.Equal(renewal.SpanId, second.ParentSpanId);
        }

        Assert.Equal(1, capture.Sum(OAuth2Metrics.UnauthorizedRenewalsName, ("oauth2.renewal.result", "renewed")));
        Assert.Equal(0, capture.Sum(OAuth2Metrics.UnauthorizedRenewalsName, ("oauth2.renewal.result", "refused")));
    }

    [Fact]
    public async Task UnauthorizedRenewal_RefusedByThePolicy_IsCountedAsRefused()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o =>
        {
            o.Name = name;
            o.MinTokenAgeForRenewal = TimeSpan.FromMinutes(1);
        });
        using (await h.Api.GetAsync("orders"))
        {
        }

        h.Server.RevokeAllTokens();
        using (HttpResponseMessage response = await h.Api.GetAsync("orders"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(1, capture.Sum(OAuth2Metrics.UnauthorizedRenewalsName, ("oauth2.renewal.result", "refused")));
        Assert.Equal("refused", Assert.Single(capture.SpansNamed(ClientTelemetry.UnauthorizedRenewalSpan)).GetTagItem("oauth2.renewal.result"));
        Assert.Single(capture.SpansNamed(ClientTelemetry.TokenRequestSpan));
    }

    [Fact]
    public async Task RefreshAhead_IsARootSpanLinkedToTheCaller_AndCounted()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o => o.Name = name);
        await h.Provider.GetTokenAsync();
        h.Time.Advance(TimeSpan.FromSeconds(3600 - 30)); // past the refresh point, still usable

        ActivityContext callerContext;
        using (Activity caller = TelemetryCapture.TestSource.StartActivity("GET orders")!)
        {
            callerContext = caller.Context;
            await h.Provider.GetTokenAsync();
        }

        await Eventually.WaitUntilAsync(() => capture.SpansNamed(ClientTelemetry.RefreshAheadSpan).Count == 1);
        Activity refresh = capture.SpansNamed(ClientTelemetry.RefreshAheadSpan)[0];
        Assert.Equal(default, refresh.ParentSpanId);
        Assert.NotEqual(callerContext.TraceId, refresh.TraceId);
        Assert.Equal(callerContext.SpanId, Assert.Single(refresh.Links).Context.SpanId);
        Activity background = capture.SpansNamed(ClientTelemetry.TokenRequestSpan)[1];
        Assert.Equal(refresh.SpanId, background.ParentSpanId);
        Assert.Equal(1, capture.Sum(OAuth2Metrics.RefreshAheadRunsName));
    }

    [Fact]
    public async Task SignInAndRefresh_AreSpansAroundTheirTokenRequests()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync(configure: o => o.Name = name);

        await h.SignInAsync();
        h.Time.Advance(TimeSpan.FromHours(2)); // expired: the next caller waits for a refresh
        await h.Provider.GetTokenAsync();

        Activity signIn = Assert.Single(capture.SpansNamed(ClientTelemetry.SignInSpan));
        Activity refresh = Assert.Single(capture.SpansNamed(ClientTelemetry.RefreshSpan));
        IReadOnlyList<Activity> requests = capture.SpansNamed(ClientTelemetry.TokenRequestSpan);
        Assert.Equal(2, requests.Count);
        Assert.Equal("authorization_code", requests[0].GetTagItem("oauth2.grant_type"));
        Assert.Equal(signIn.SpanId, requests[0].ParentSpanId);
        Assert.Equal("refresh_token", requests[1].GetTagItem("oauth2.grant_type"));
        Assert.Equal(refresh.SpanId, requests[1].ParentSpanId);
        Assert.Equal("WebMethodsApiGateway", signIn.GetTagItem("oauth2.profile"));
        Assert.Equal(["authorization_code", "refresh_token"], capture.Durations.Select(m => m.Tags["oauth2.grant_type"]));
        h.AssertNoSecrets(capture.AllText());
    }

    [Fact]
    public async Task RefreshRejected_MarksTheRefreshSpanFailed()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync(configure: o => o.Name = name);
        await h.SignInAsync();
        h.Flow.RevokeRefreshTokens();
        h.Time.Advance(TimeSpan.FromHours(2));

        await Assert.ThrowsAsync<OAuth2SignInRequiredException>(() => h.Provider.GetTokenAsync().AsTask());

        Activity refresh = Assert.Single(capture.SpansNamed(ClientTelemetry.RefreshSpan));
        Assert.Equal(ActivityStatusCode.Error, refresh.Status);
        Assert.Equal("invalid_grant", refresh.GetTagItem("error.type"));
        h.AssertNoSecrets(capture.AllText());
    }

    [Fact]
    public async Task DistributedCacheHit_IsASpan_AndCountedAsAnL2Hit()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        var cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        var fleet = new DistributedTokenCacheOptions { Cache = cache }.Encrypted();
        OAuth2ClientOptions Client() => new() { Name = name, TokenEndpoint = server.TokenEndpoint, ClientId = Harness.ClientId, ClientSecret = Harness.ClientSecret };
        using var first = new ClientCredentialsTokenProvider(Client(), distributedCache: fleet);
        using var second = new ClientCredentialsTokenProvider(Client(), distributedCache: fleet);

        OAuth2Token published = await first.GetTokenAsync();
        OAuth2Token adopted = await second.GetTokenAsync();

        Assert.Equal(published.Value, adopted.Value);
        Assert.Equal(1, server.TokenRequestCount);
        IReadOnlyList<Activity> reads = capture.SpansNamed(ClientTelemetry.DistributedCacheReadSpan);
        Assert.Contains(reads, a => Equals(a.GetTagItem("oauth2.cache.result"), "hit"));
        Assert.Contains(reads, a => Equals(a.GetTagItem("oauth2.cache.result"), "miss"));
        Assert.Equal(1, capture.Sum(OAuth2Metrics.CacheLookupsName, ("oauth2.cache.level", "l2"), ("oauth2.cache.result", "hit")));
        Assert.DoesNotContain(published.Value, capture.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SharedMemoryCacheHit_IsCountedAsAnL2Hit()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        using var memory = new MemoryCache(new MemoryCacheOptions());
        OAuth2ClientOptions Client() => new() { Name = name, TokenEndpoint = server.TokenEndpoint, ClientId = Harness.ClientId, ClientSecret = Harness.ClientSecret };
        using var first = new ClientCredentialsTokenProvider(Client(), sharedCache: memory);
        using var second = new ClientCredentialsTokenProvider(Client(), sharedCache: memory);

        await first.GetTokenAsync();
        await second.GetTokenAsync();

        Assert.Equal(1, capture.Sum(OAuth2Metrics.CacheLookupsName, ("oauth2.cache.level", "l2"), ("oauth2.cache.result", "miss")));
        Assert.Equal(1, capture.Sum(OAuth2Metrics.CacheLookupsName, ("oauth2.cache.level", "l2"), ("oauth2.cache.result", "hit")));
    }

    [Fact]
    public async Task WithoutAName_TheClientIdNamesTheClient()
    {
        string id = NewName();
        using var capture = new TelemetryCapture(id);
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, id, Harness.ClientSecret);
        using var provider = new ClientCredentialsTokenProvider(new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = id, ClientSecret = Harness.ClientSecret });

        await provider.GetTokenAsync();

        Assert.Equal(id, Assert.Single(capture.Durations).Tags["oauth2.client.name"]);
    }

    [Fact]
    public async Task LeakScan_FaultScenarios_NoSecretTokenOrBasicValueInAnySpanOrMeasurement()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);
        await using Harness h = await Harness.StartAsync(configure: o =>
        {
            o.Name = name;
            o.MaxTokenRequestRetries = 1;
            o.TokenRequestRetryDelay = TimeSpan.Zero;
        });
        string echoed = "";

        // A server that echoes the credentials it got into the error code and description.
        h.Server.TokenReplyOverride = (request, _) =>
        {
            echoed = request.Authorization ?? "";
            return TokenReply.Json(400, JsonSerializer.Serialize(new { error = echoed[6..], error_description = "got " + echoed + " and " + Harness.ClientSecret }));
        };
        await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());
        h.Server.TokenReplyOverride = null;
        h.Time.Advance(TimeSpan.FromMinutes(5)); // past the cool-down

        h.Server.FailNextTokenRequests(1, TokenFault.DropConnection()); // a probe after a failure: one attempt
        await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());
        h.Time.Advance(TimeSpan.FromMinutes(5));

        using (await h.Api.GetAsync("orders"))
        {
        }

        h.Server.RevokeAllTokens();
        using (await h.Api.GetAsync("orders"))
        {
        }

        h.Server.FailNextTokenRequests(1, TokenFault.Status(500));
        h.Time.Advance(TimeSpan.FromSeconds(3600 - 30));
        await h.Provider.GetTokenAsync();
        await Eventually.WaitUntilAsync(() => capture.SpansNamed(ClientTelemetry.RefreshAheadSpan).Count == 1);
        Activity refreshAhead = capture.SpansNamed(ClientTelemetry.RefreshAheadSpan)[0];
        Assert.Equal(ActivityStatusCode.Error, refreshAhead.Status); // the renewal failed; the current token stayed in use
        Assert.Equal("500", refreshAhead.GetTagItem("error.type"));

        string text = capture.AllText();
        Assert.Contains("oauth2.token_request", text, StringComparison.Ordinal);
        Assert.Contains("error.type=_OTHER", text, StringComparison.Ordinal);
        Assert.Contains("error.type=", text, StringComparison.Ordinal);
        Assert.NotEmpty(echoed);
        Assert.DoesNotContain(echoed, text, StringComparison.Ordinal);
        Assert.DoesNotContain(echoed[6..], text, StringComparison.Ordinal);
        Assert.DoesNotContain("?", text, StringComparison.Ordinal); // no query string
        h.AssertNoSecrets(text);
        Assert.All(capture.Spans, a => Assert.DoesNotContain(Harness.ClientSecret, a.StatusDescription ?? "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DependencyInjection_NamesTheClientByItsRegistration_AndEachContainerHasItsOwnMeter()
    {
        string name = NewName();
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        ServiceProvider Container()
        {
            var services = new ServiceCollection();
            services.AddMetrics();
            services.AddOAuth2ClientCredentials(name, o =>
            {
                o.TokenEndpoint = server.TokenEndpoint;
                o.ClientId = Harness.ClientId;
                o.ClientSecret = Harness.ClientSecret;
            });
            return services.BuildServiceProvider();
        }

        await using ServiceProvider first = Container();
        await using ServiceProvider second = Container();
        IMeterFactory firstMeters = first.GetRequiredService<IMeterFactory>();
        IMeterFactory secondMeters = second.GetRequiredService<IMeterFactory>();
        using var inFirst = new TelemetryCapture(name, firstMeters);
        using var inSecond = new TelemetryCapture(name, secondMeters);
        using var inStatic = new MetricCollector<double>(OAuth2Metrics.Shared.Meter, OAuth2Metrics.TokenRequestDurationName);

        await first.GetRequiredKeyedService<IOAuth2TokenProvider>(name).GetTokenAsync();

        Assert.Equal(name, Assert.Single(inFirst.Durations).Tags["oauth2.client.name"]);
        Assert.Empty(inSecond.Durations);
        Assert.Empty(inStatic.GetMeasurementSnapshot());

        await second.GetRequiredKeyedService<IOAuth2TokenProvider>(name).GetTokenAsync();
        Assert.Single(inFirst.Durations);
        Assert.Single(inSecond.Durations);
        Assert.Equal(name, first.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get(name).Name);
    }

    [Fact]
    public async Task DependencyInjection_AnExplicitNameWins()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, Harness.ClientId, Harness.ClientSecret);
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("billing", o =>
        {
            o.Name = "billing-eu";
            o.TokenEndpoint = server.TokenEndpoint;
            o.ClientId = Harness.ClientId;
            o.ClientSecret = Harness.ClientSecret;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        OAuth2ClientOptions options = provider.GetRequiredService<IOptionsMonitor<OAuth2ClientOptions>>().Get("billing");

        Assert.Equal("billing-eu", options.Name);
        Assert.Same(provider.GetRequiredService<IMeterFactory>(), options.MeterFactory); // AddHttpClient registers one
    }

    [Fact]
    public async Task LeakScan_AnEchoingServer_NoCodeVerifierOrAssertionInAnySpanOrMeasurement()
    {
        string name = NewName();
        using var capture = new TelemetryCapture(name);

        // A code exchange the server refuses, echoing the code and the verifier.
        await using AuthorizationCodeHarness signIn = await AuthorizationCodeHarness.StartAsync(apiGateway: false, configure: o => o.Name = name);
        signIn.Server.TokenReplyOverride = (request, _) => TokenReply.Json(400, JsonSerializer.Serialize(new { error = request.BodyText, error_description = request.BodyText }));
        AuthorizationRequest authorization = signIn.Provider.CreateAuthorizationRequest(new Uri("http://127.0.0.1:50123/callback"));
        Uri callback = await signIn.AuthorizeAsync(authorization);
        await Assert.ThrowsAsync<OAuth2TokenException>(() => signIn.Provider.ExchangeCodeAsync(authorization, callback));

        // A client assertion (client_secret_jwt) the server refuses, echoing it.
        const string jwtSecret = "a-client-secret-of-at-least-32-bytes-for-hs256";
        await using Harness jwt = await Harness.StartAsync(configure: o =>
        {
            o.Name = name;
            o.ClientSecret = jwtSecret;
            o.ClientAuthentication = ClientAuthenticationStyle.ClientSecretJwt;
        });
        jwt.Server.TokenReplyOverride = (request, _) => TokenReply.Json(400, JsonSerializer.Serialize(new { error = request.BodyText, error_description = request.BodyText }));
        await Assert.ThrowsAsync<OAuth2TokenException>(() => jwt.Provider.GetTokenAsync().AsTask());

        string text = capture.AllText();
        Assert.Equal(2, capture.SpansNamed(ClientTelemetry.TokenRequestSpan).Count);
        Assert.Contains("error.type=_OTHER", text, StringComparison.Ordinal);
        string assertion = System.Web.HttpUtility.ParseQueryString(jwt.Server.TokenRequests.Single().BodyText)["client_assertion"]!;
        Assert.NotEmpty(assertion);
        Assert.DoesNotContain(assertion, text, StringComparison.Ordinal);
        Assert.DoesNotContain(assertion.Split('.')[2], text, StringComparison.Ordinal);
        signIn.AssertNoSecrets(text, authorization.Pkce.CodeVerifier);
        jwt.AssertNoSecrets(text);
        Assert.DoesNotContain(jwtSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_NameTheClientByItsName_AndTheFirstEventByItsClientIdToo()
    {
        string name = NewName();
        await using Harness h = await Harness.StartAsync(configure: o => o.Name = name);

        await h.Provider.GetTokenAsync();

        var requesting = h.Logs.GetSnapshot().Single(r => r.Id.Id == Log.EventIds.RequestingToken);
        Assert.Contains($"client '{name}' (client id {Harness.ClientId})", requesting.Message, StringComparison.Ordinal);
        var acquired = h.Logs.GetSnapshot().Single(r => r.Id.Id == Log.EventIds.TokenAcquired);
        Assert.Contains($"client '{name}'", acquired.Message, StringComparison.Ordinal);
        Assert.Equal(name, acquired.StructuredState!.Single(p => p.Key == "ClientName").Value);
    }

    [Fact]
    public void DurationHistogram_AdvisesBucketsFromMillisecondsToSeconds()
    {
#if NET9_0_OR_GREATER && !NETSTANDARD_BUILD_UNDER_TEST // the advice API exists from .NET 9; the netstandard2.0 build has none
        Assert.Equal(OAuth2Metrics.DurationBuckets, OAuth2Metrics.Shared.TokenRequestDuration.Advice?.HistogramBucketBoundaries);
#endif
        Assert.Equal("s", OAuth2Metrics.Shared.TokenRequestDuration.Unit);
        Assert.Equal(0.005, OAuth2Metrics.DurationBuckets[0]);
        Assert.Equal(30, OAuth2Metrics.DurationBuckets[^1]);
    }

    /// <summary>One duration measurement with the client's attributes, in seconds, and <c>error.type</c> as given.</summary>
    private static void CollectedMeasurementAssert(IReadOnlyList<CollectedMeasurement<double>> durations, string name, string? errorType, Uri tokenEndpoint)
    {
        var measurement = Assert.Single(durations);
        Assert.InRange(measurement.Value, 0, 60);
        Assert.Equal(name, measurement.Tags["oauth2.client.name"]);
        Assert.Equal(Harness.ClientId, measurement.Tags["oauth2.client_id"]);
        Assert.Equal("client_credentials", measurement.Tags["oauth2.grant_type"]);
        Assert.Equal(tokenEndpoint.Host, measurement.Tags["server.address"]);
        Assert.Equal(tokenEndpoint.Port, measurement.Tags["server.port"]);
        Assert.Equal(errorType, measurement.Tags.GetValueOrDefault("error.type"));
        string[] expected = errorType is null
            ? ["oauth2.client.name", "oauth2.client_id", "oauth2.grant_type", "server.address", "server.port"]
            : ["error.type", "oauth2.client.name", "oauth2.client_id", "oauth2.grant_type", "server.address", "server.port"];
        Assert.Equal(expected, measurement.Tags.Keys.Order(StringComparer.Ordinal));
    }
}
