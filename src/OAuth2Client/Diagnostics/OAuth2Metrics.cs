using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OAuth2Client.Diagnostics;

/// <summary>
/// The <c>OAuth2Client</c> meter. Tags name the client id and the outcome, never a secret or a token.
/// </summary>
internal static class OAuth2Metrics
{
    public const string MeterName = "OAuth2Client";

    private static readonly Meter Meter = new(MeterName, typeof(OAuth2Metrics).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> TokenRequests = Meter.CreateCounter<long>(
        "oauth2client.token.requests", unit: "{request}", description: "Token requests sent to the token endpoint, by outcome (success or failure).");

    private static readonly Histogram<double> TokenRequestDuration = Meter.CreateHistogram<double>(
        "oauth2client.token.request.duration", unit: "s", description: "Time to obtain a token from the token endpoint, retries included.");

    private static readonly Counter<long> UnauthorizedRenewals = Meter.CreateCounter<long>(
        "oauth2client.api.unauthorized", unit: "{response}", description: "API responses with status 401 that made the handler renew the token and retry.");

    public static void TokenRequested(string clientId, bool success, TimeSpan duration)
    {
        var tags = new TagList { { "oauth2.client_id", clientId }, { "outcome", success ? "success" : "failure" } };
        TokenRequests.Add(1, tags);
        TokenRequestDuration.Record(duration.TotalSeconds, tags);
    }

    public static void UnauthorizedRenewal() => UnauthorizedRenewals.Add(1);
}
