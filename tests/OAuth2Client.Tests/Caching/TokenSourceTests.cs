using Microsoft.Extensions.Logging.Abstractions;
using OAuth2Client.Caching;
using OAuth2Client.Endpoint;

namespace OAuth2Client.Tests.Caching;

/// <summary>The system clock takes a monotonic fast path; these pin its freshness decisions without waiting.</summary>
public sealed class TokenSourceTests
{
    [Theory]
    [InlineData(-60, 2)] // expired a minute ago: every call fetches
    [InlineData(3600, 1)] // fresh for an hour: fetched once
    [InlineData(30, 2)] // inside the 60 s refresh buffer (capped at a quarter of the lifetime): stale
    public async Task GetTokenAsync_SystemClock_FreshnessFollowsExpiry(int expiresInSeconds, int expectedFetches)
    {
        int fetches = 0;
        DateTimeOffset issuedAt = TimeProvider.System.GetUtcNow().AddSeconds(expiresInSeconds < 0 ? -120 : -1000);
        var source = new TokenSource(
            (_, _) =>
            {
                Interlocked.Increment(ref fetches);
                DateTimeOffset now = TimeProvider.System.GetUtcNow();
                var token = new AccessToken("t" + fetches, now.AddSeconds(expiresInSeconds));
                return Task.FromResult(new TokenResponse(token, null, issuedAt));
            },
            TimeProvider.System,
            new TokenLifecycle(TimeSpan.FromSeconds(60), refreshAhead: false, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5)) { Random = () => 0 },
            sharedCache: null,
            "key",
            "client",
            NullLogger.Instance);

        await source.GetTokenAsync(CancellationToken.None);
        await source.GetTokenAsync(CancellationToken.None);

        Assert.Equal(expectedFetches, fetches);
        source.Dispose();
    }
}
