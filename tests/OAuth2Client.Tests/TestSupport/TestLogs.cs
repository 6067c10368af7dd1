using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>Logging for tests on <see cref="FakeLogCollector"/>: a factory that records every level, and leak-check helpers.</summary>
public static class TestLogs
{
    /// <summary>A logger factory whose loggers record every level (Trace and up) into <paramref name="collector"/>.</summary>
    public static ILoggerFactory CreateFactory(FakeLogCollector collector)
        => LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(collector)));

    /// <summary>Every message, every structured argument and every exception, as one text, for leak checks.</summary>
    public static string AllText(this FakeLogCollector collector)
        => string.Join("\n", collector.GetSnapshot().Select(r =>
            r.Message + " | " + string.Join(" ", (r.StructuredState ?? []).Select(p => p.Key + "=" + p.Value)) + " | " + r.Exception));

    /// <summary>How many records carry the event id (a constant of <c>Log.EventIds</c>).</summary>
    public static int CountOf(this FakeLogCollector collector, int eventId)
        => collector.GetSnapshot().Count(r => r.Id.Id == eventId);
}
