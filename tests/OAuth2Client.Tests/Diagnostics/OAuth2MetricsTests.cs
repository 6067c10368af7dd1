using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using OAuth2Client.Emulator;
using OAuth2Client.Diagnostics;
using OAuth2Client.Tests.Samples;

namespace OAuth2Client.Tests.Diagnostics;

/// <summary>Meter listeners are process-wide: runs outside the parallel collections so counts are exact.</summary>
[Collection(nameof(ConsoleOutputTests))]
public sealed class OAuth2MetricsTests
{
    [Fact]
    public async Task Meter_CountsTokenRequestsByOutcomeAndRenewals_WithoutSecrets()
    {
        var measurements = new ConcurrentQueue<(string Instrument, long Value, string Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OAuth2Metrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measurements.Enqueue((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        listener.Start();
        string id = "metrics-" + Guid.NewGuid().ToString("N");
        const string secret = "metrics-secret-value";
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, id, secret);
        using var api = new HttpClient(new BearerTokenHandler(new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = id, ClientSecret = secret })) { BaseAddress = server.ApiAddress };
        using var wrong = new ClientCredentialsTokenProvider(new OAuth2ClientOptions { TokenEndpoint = server.TokenEndpoint, ClientId = id, ClientSecret = "wrong", MaxTokenRequestRetries = 0 });

        using (await api.GetAsync("orders"))
        {
        }

        server.RevokeAllTokens();
        using (await api.GetAsync("orders"))
        {
        }

        await Assert.ThrowsAsync<OAuth2TokenException>(() => wrong.GetTokenAsync().AsTask());

        Assert.Equal(2, measurements.Count(m => m.Instrument == "oauth2client.token.requests" && m.Tags == $"oauth2.client_id={id},outcome=success"));
        Assert.Equal(1, measurements.Count(m => m.Instrument == "oauth2client.token.requests" && m.Tags == $"oauth2.client_id={id},outcome=failure"));
        Assert.Equal(1, measurements.Count(m => m.Instrument == "oauth2client.api.unauthorized"));
        Assert.All(measurements, m => Assert.DoesNotContain(secret, m.Tags, StringComparison.Ordinal));
    }
}
