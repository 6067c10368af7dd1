using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace OAuth2Client.Diagnostics;

/// <summary>
/// The instruments of one <c>OAuth2Client</c> meter: the process-wide static meter, or one a host's
/// <see cref="IMeterFactory"/> created (one instance per meter). Attributes name the client (its registered name and
/// client id), the token endpoint's host and an error type; never a secret, a token or a description.
/// </summary>
/// <remarks>Names follow the OpenTelemetry semantic conventions: dotted namespaces, units in UCUM, <c>error.type</c> set only on failure.</remarks>
internal sealed class OAuth2Metrics
{
    public const string MeterName = "OAuth2Client";

    public const string TokenRequestDurationName = "oauth2.client.token_request.duration";
    public const string CacheLookupsName = "oauth2.client.cache.lookups";
    public const string RefreshAheadRunsName = "oauth2.client.refresh_ahead.runs";
    public const string CooldownsName = "oauth2.client.cooldowns";
    public const string UnauthorizedRenewalsName = "oauth2.client.unauthorized_renewals";

    /// <summary>Token requests take milliseconds (a nearby server) to seconds (retries, timeouts): finer than the SDK's default buckets at the low end.</summary>
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30];

    private static readonly ConditionalWeakTable<Meter, OAuth2Metrics> PerMeter = new();

    public static string Version { get; } = typeof(OAuth2Metrics).Assembly.GetName().Version?.ToString() ?? "0.0.0.0";

    /// <summary>The instruments of the static meter, for clients created without an <see cref="IMeterFactory"/>.</summary>
    public static OAuth2Metrics Shared { get; } = new(new Meter(MeterName, Version));

    private OAuth2Metrics(Meter meter)
    {
        Meter = meter;
        TokenRequestDuration = DurationHistogram(meter);
        CacheLookups = meter.CreateCounter<long>(
            CacheLookupsName, unit: "{lookup}", description: "Token lookups in the client's own cache (oauth2.cache.level l1) and the shared or distributed cache (l2), by oauth2.cache.result (hit or miss).");
        RefreshAheadRuns = meter.CreateCounter<long>(
            RefreshAheadRunsName, unit: "{run}", description: "Background renewals started before the current token expires (refresh-ahead).");
        Cooldowns = meter.CreateCounter<long>(
            CooldownsName, unit: "{cooldown}", description: "Failure cool-downs started or lengthened: the token endpoint failed and is not asked again until the cool-down ends.");
        UnauthorizedRenewals = meter.CreateCounter<long>(
            UnauthorizedRenewalsName, unit: "{response}", description: "API responses with status 401 that blamed the token, by oauth2.renewal.result: renewed (the request was sent again) or refused (the token was too young or the endpoint cooling down).");
    }

    public Meter Meter { get; }

    public Histogram<double> TokenRequestDuration { get; }

    public Counter<long> CacheLookups { get; }

    public Counter<long> RefreshAheadRuns { get; }

    public Counter<long> Cooldowns { get; }

    public Counter<long> UnauthorizedRenewals { get; }

    /// <summary>The instruments for a client: on a meter from <paramref name="factory"/>, or the static meter's.</summary>
    public static OAuth2Metrics For(IMeterFactory? factory)
    {
        if (factory is null)
        {
            return Shared;
        }

        // The factory hands out one meter per name and version; its instruments are created once.
        Meter meter = factory.Create(new MeterOptions(MeterName) { Version = Version });
        return PerMeter.GetValue(meter, m => new OAuth2Metrics(m));
    }

    /// <summary>The only API that differs between runtimes: bucket advice exists from System.Diagnostics.DiagnosticSource 9.</summary>
    private static Histogram<double> DurationHistogram(Meter meter)
    {
        const string Description = "Duration of token requests to the token endpoint, retries included; error.type is set when no token came back.";
#if NET9_0_OR_GREATER
        return meter.CreateHistogram<double>(
            TokenRequestDurationName,
            unit: "s",
            description: Description,
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
#else
        return meter.CreateHistogram<double>(TokenRequestDurationName, unit: "s", description: Description);
#endif
    }
}
