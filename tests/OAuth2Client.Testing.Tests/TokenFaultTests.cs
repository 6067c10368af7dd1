using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static OAuth2Client.Testing.Tests.Wire;

namespace OAuth2Client.Testing.Tests;

/// <summary><see cref="TokenFault"/> through <see cref="EmulatedOAuthServer.FailNextTokenRequests"/>: what the client sees, and that the server recovers.</summary>
public sealed class TokenFaultTests
{
    [Fact]
    public async Task FailNextTokenRequests_ServiceUnavailable_FailsExactlyThatManyThenRecovers()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.PxPlus);
        server.FailNextTokenRequests(2, TokenFault.ServiceUnavailable());
        Assert.Equal(2, server.PendingTokenFaults);

        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await RequestTokenAsync(server);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], statuses);
        Assert.Equal(0, server.PendingTokenFaults);
        Assert.Equal(3, server.TokenRequestCount);
        Assert.Single(server.IssuedTokens);
    }

    [Fact]
    public async Task FailNextTokenRequests_TooManyRequests_SendsRetryAfterInWholeSeconds()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.CentraSite);
        server.FailNextTokenRequests(1, TokenFault.TooManyRequests(TimeSpan.FromSeconds(1.2)));

        using HttpResponseMessage response = await RequestTokenAsync(server);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task FailNextTokenRequests_DropConnection_ClientSeesAnIOErrorThenTheNextRequestWorks()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.FailNextTokenRequests(1, TokenFault.DropConnection());

        await Assert.ThrowsAsync<HttpRequestException>(() => RequestTokenAsync(server));
        using HttpResponseMessage next = await RequestTokenAsync(server);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(2, server.TokenRequestCount);
    }

    [Fact]
    public async Task FailNextTokenRequests_Delay_AnswersNormallyButNotBeforeTheDelay()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        TimeSpan delay = TimeSpan.FromMilliseconds(300);
        server.FailNextTokenRequests(1, TokenFault.Delay(delay));

        var watch = Stopwatch.StartNew();
        using HttpResponseMessage slow = await RequestTokenAsync(server);
        TimeSpan elapsed = watch.Elapsed;

        Assert.Equal(HttpStatusCode.OK, slow.StatusCode);
        Assert.True(elapsed >= delay - TimeSpan.FromMilliseconds(20), $"answered after {elapsed}"); // a lower bound only: cannot flake on a slow machine
        Assert.Equal(0, server.PendingTokenFaults);
    }

    [Fact]
    public async Task FailNextTokenRequests_Delay_ClientTimeoutSeesTheSlowEndpoint()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.FailNextTokenRequests(1, TokenFault.Delay(TimeSpan.FromMinutes(5)));
        using var impatient = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RequestTokenAsync(server, impatient));
    }

    [Fact]
    public async Task FailNextTokenRequests_CallsAddUpInOrder()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.FailNextTokenRequests(1, TokenFault.Status(502));
        server.FailNextTokenRequests(1, TokenFault.Respond(new TokenReply(500, "text/html", "<html>oops</html>")));

        using HttpResponseMessage first = await RequestTokenAsync(server);
        using HttpResponseMessage second = await RequestTokenAsync(server);
        using HttpResponseMessage third = await RequestTokenAsync(server);

        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, second.StatusCode);
        Assert.Equal("<html>oops</html>", await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task ClearTokenFaults_DropsThePendingOnes()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
        server.FailNextTokenRequests(3, TokenFault.ServiceUnavailable());

        server.ClearTokenFaults();

        using HttpResponseMessage response = await RequestTokenAsync(server);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void TokenFault_RejectsNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenFault.Delay(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenFault.TooManyRequests(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TokenFault.Status(42));
        Assert.Equal("429 Too Many Requests, Retry-After: 3", TokenFault.TooManyRequests(TimeSpan.FromSeconds(3)).ToString());
    }

    [Fact]
    public async Task FailNextTokenRequests_ZeroCount_Throws()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);

        Assert.Throws<ArgumentOutOfRangeException>(() => server.FailNextTokenRequests(0, TokenFault.ServiceUnavailable()));
    }
}
