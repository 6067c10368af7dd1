using Microsoft.Extensions.Time.Testing;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// The one way tests make a <see cref="FakeTimeProvider"/>: starting at the real current time (the library's default
/// start, 2000-01-01, would make every "now" in a test a fixed calendar date), moving only when told to.
/// </summary>
public static class TestClock
{
    /// <summary>A fake clock starting at the real now, shifted by <paramref name="offset"/> when given.</summary>
    public static FakeTimeProvider Create(TimeSpan offset = default) => new(DateTimeOffset.UtcNow + offset);
}
