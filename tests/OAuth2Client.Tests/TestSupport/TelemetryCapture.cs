using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OAuth2Client.Diagnostics;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// Records the spans of the <c>OAuth2Client</c> source and the measurements of every <c>OAuth2Client</c> instrument,
/// keeping only those of one client name (listeners are process-wide; tests in parallel use other names). Also a
/// <c>Test</c> source, for the caller's own activity.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    public static readonly ActivitySource TestSource = new("OAuth2Client.Tests.Caller");

    private static readonly string[] InstrumentNames =
    [
        OAuth2Metrics.TokenRequestDurationName,
        OAuth2Metrics.CacheLookupsName,
        OAuth2Metrics.RefreshAheadRunsName,
        OAuth2Metrics.CooldownsName,
        OAuth2Metrics.UnauthorizedRenewalsName,
    ];

    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly MetricCollector<double> _durations;
    private readonly Dictionary<string, MetricCollector<long>> _counters;

    /// <param name="clientName">The client name whose telemetry is kept.</param>
    /// <param name="meterScope">The <see cref="IMeterFactory"/> whose meter is observed; <see langword="null"/> for any meter (the static one too).</param>
    public TelemetryCapture(string clientName, object? meterScope = null)
    {
        ClientName = clientName;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is ClientTelemetry.SourceName || ReferenceEquals(source, TestSource),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
        _durations = new MetricCollector<double>(meterScope, OAuth2Metrics.MeterName, OAuth2Metrics.TokenRequestDurationName);
        _counters = InstrumentNames.Skip(1).ToDictionary(n => n, n => new MetricCollector<long>(meterScope, OAuth2Metrics.MeterName, n));
    }

    public string ClientName { get; }

    /// <summary>The client's finished spans (those that carry its name), in the order they ended.</summary>
    public IReadOnlyList<Activity> Spans => [.. _stopped.Where(a => Equals(a.GetTagItem(ClientTelemetry.ClientName), ClientName))];

    /// <summary>Every finished span, the caller's included.</summary>
    public IReadOnlyList<Activity> AllSpans => [.. _stopped];

    public IReadOnlyList<Activity> SpansNamed(string name) => [.. Spans.Where(a => a.OperationName == name)];

    public IReadOnlyList<CollectedMeasurement<double>> Durations => Ours(_durations.GetMeasurementSnapshot());

    public IReadOnlyList<CollectedMeasurement<long>> Counts(string instrument) => Ours(_counters[instrument].GetMeasurementSnapshot());

    /// <summary>The sum of <paramref name="instrument"/> over the measurements with all of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, object? Value)[] tags)
        => Counts(instrument).Where(m => tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value))).Sum(m => m.Value);

    /// <summary>Every span name, status description, tag, event and link of the client, and every attribute of every measurement, as one text.</summary>
    public string AllText()
    {
        IEnumerable<string> spans = AllSpans.Where(a => a.Source.Name == ClientTelemetry.SourceName).Select(a =>
            a.OperationName + " " + a.DisplayName + " " + a.StatusDescription + " "
            + string.Join(" ", a.TagObjects.Select(t => t.Key + "=" + t.Value)) + " "
            + string.Join(" ", a.Events.Select(e => e.Name + " " + string.Join(" ", e.Tags.Select(t => t.Key + "=" + t.Value)))) + " "
            + string.Join(" ", a.Baggage.Select(b => b.Key + "=" + b.Value)));
        IEnumerable<string> measurements = _durations.GetMeasurementSnapshot().Select(m => string.Join(" ", m.Tags.Select(t => t.Key + "=" + t.Value)))
            .Concat(_counters.Values.SelectMany(c => c.GetMeasurementSnapshot()).Select(m => string.Join(" ", m.Tags.Select(t => t.Key + "=" + t.Value))));
        return string.Join("\n", spans.Concat(measurements));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _durations.Dispose();
        foreach (MetricCollector<long> counter in _counters.Values)
        {
            counter.Dispose();
        }
    }

    private List<CollectedMeasurement<T>> Ours<T>(IReadOnlyList<CollectedMeasurement<T>> measurements)
        where T : struct
        => [.. measurements.Where(m => Equals(m.Tags.GetValueOrDefault(ClientTelemetry.ClientName), ClientName))];
}
