using System.Net;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Http;

/// <summary>The handler's 401 policy over real HTTP: only a 401 that blames the token renews it, and a storm is bounded.</summary>
public sealed class BearerTokenHandler401PolicyTests
{
    /// <summary>The harness turns the minimum age off for other tests; these run with the default (5 s).</summary>
    private static void DefaultMinimumAge(OAuth2ClientOptions options) => options.MinTokenAgeForRenewal = new OAuth2ClientOptions().MinTokenAgeForRenewal;

    [Theory]
    [InlineData("Bearer error=\"insufficient_scope\", scope=\"orders:write\"")]
    [InlineData("Bearer error=\"invalid_request\"")]
    [InlineData("Basic realm=\"intranet\"")]
    public async Task SendAsync_401ThatDoesNotBlameTheToken_ReturnedUntouchedWithoutRenewal(string challenge)
    {
        await using Harness h = await Harness.StartAsync(configure: DefaultMinimumAge);
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RejectAllApiCalls = true;
        h.Server.UnauthorizedResponder = context =>
        {
            context.Response.Headers.WWWAuthenticate = challenge;
            return Task.CompletedTask;
        };
        h.Time.Advance(TimeSpan.FromMinutes(1)); // old enough to be renewed, were the 401 to blame it

        using HttpResponseMessage response = await h.Api.GetAsync("orders");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(challenge, response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(1, h.Server.TokenRequestCount);
        Assert.Equal(2, h.Server.ApiRequestCount); // warm-up and this one: no retry
    }

    [Fact]
    public async Task SendAsync_401WithInvalidTokenChallenge_RenewsAndRetries()
    {
        await using Harness h = await Harness.StartAsync(configure: DefaultMinimumAge);
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RevokeAllTokens(); // the emulator answers Bearer error="invalid_token"
        h.Time.Advance(TimeSpan.FromMinutes(1));

        using HttpResponseMessage response = await h.Api.GetAsync("orders");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task SendAsync_401StormFromApiRejectingEverything_AtMostOneRenewalPerMinimumAge()
    {
        await using Harness h = await Harness.StartAsync(configure: DefaultMinimumAge);
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RejectAllApiCalls = true;
        h.Time.Advance(TimeSpan.FromSeconds(6)); // the first token is now old enough to be renewed once

        for (int round = 0; round < 3; round++)
        {
            HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => h.Api.GetAsync("orders")));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
            foreach (HttpResponseMessage r in responses)
            {
                r.Dispose();
            }

            h.Time.Advance(TimeSpan.FromSeconds(2)); // 6 s in three rounds: one more renewal becomes due at most
        }

        // 1 at warm-up and 1 renewal when the storm began; 6 s later the renewed token is only 4 s old (2 s per round
        // after the first), so no more.
        Assert.Equal(2, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task SendAsync_401ForYoungToken_ReturnedWithoutRenewal()
    {
        await using Harness h = await Harness.StartAsync(configure: DefaultMinimumAge);
        using (await h.Api.GetAsync("warm-up"))
        {
        }

        h.Server.RevokeAllTokens();
        h.Time.Advance(TimeSpan.FromSeconds(4)); // younger than MinTokenAgeForRenewal (5 s)

        using HttpResponseMessage young = await h.Api.GetAsync("orders");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        using HttpResponseMessage oldEnough = await h.Api.GetAsync("orders");

        Assert.Equal(HttpStatusCode.Unauthorized, young.StatusCode);
        Assert.Equal(HttpStatusCode.OK, oldEnough.StatusCode);
        Assert.Equal(2, h.Server.TokenRequestCount);
    }
}
