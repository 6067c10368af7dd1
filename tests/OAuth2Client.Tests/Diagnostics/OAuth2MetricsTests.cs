using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OAuth2Client.Diagnostics;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Diagnostics;

/// <summary>Meter listeners are process-wide: runs outside the parallel collections so counts are exact.</summary>
[Collection(nameof(ConsoleOutputTests))]
public sealed class OAuth2MetricsTests
{
    [Fact]
    public async Task Meter_CountsTokenRequestsByOutcomeAndRenewals_WithoutSecrets()
    {
        using var requests = new MetricCollector<long>(null, OAuth2Metrics.MeterName, "oauth2client.token.requests");
        using var durations = new MetricCollector<double>(null, OAuth2Metrics.MeterName, "oauth2client.token.request.duration");
        using var unauthorized = new MetricCollector<long>(null, OAuth2Metrics.MeterName, "oauth2client.api.unauthorized");
        string id = "metrics-" + Guid.NewGuid().ToString("N");
        const string secret = "metrics-secret-value";
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, id, secret);
        using var api = new HttpClient(new BearerTokenHandler(new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = id, ClientSecret = secret, MinTokenAgeForRenewal = TimeSpan.Zero })) { BaseAddress = server.ApiAddress };
        using var wrong = new ClientCredentialsTokenProvider(new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = id, ClientSecret = "wrong", MaxTokenRequestRetries = 0 });

        using (await api.GetAsync("orders"))
        {
        }

        server.RevokeAllTokens();
        using (await api.GetAsync("orders"))
        {
        }

        await Assert.ThrowsAsync<OAuth2TokenException>(() => wrong.GetTokenAsync().AsTask());

        var ours = requests.GetMeasurementSnapshot().Where(m => m.ContainsTags(new KeyValuePair<string, object?>("oauth2.client_id", id))).ToList();
        Assert.Equal(2, ours.Where(m => m.ContainsTags(new KeyValuePair<string, object?>("outcome", "success"))).Sum(m => m.Value));
        Assert.Equal(1, ours.Where(m => m.ContainsTags(new KeyValuePair<string, object?>("outcome", "failure"))).Sum(m => m.Value));
        Assert.All(ours, m => Assert.Equal(["oauth2.client_id", "outcome"], m.Tags.Keys.Order(StringComparer.Ordinal)));
        var ourDurations = durations.GetMeasurementSnapshot().Where(m => m.ContainsTags(new KeyValuePair<string, object?>("oauth2.client_id", id))).ToList();
        Assert.Equal(3, ourDurations.Count);
        Assert.All(ourDurations, m => Assert.True(m.Value >= 0));
        Assert.Equal(1, unauthorized.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.All(
            requests.GetMeasurementSnapshot().SelectMany(m => m.Tags.Values).Concat(durations.GetMeasurementSnapshot().SelectMany(m => m.Tags.Values)),
            v => Assert.DoesNotContain(secret, v?.ToString() ?? string.Empty, StringComparison.Ordinal));
    }
}
