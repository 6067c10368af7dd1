using OAuth2Client.Testing;

namespace OAuth2Client.Demo;

/// <summary>One vendor of the demo: its emulator behaviour, the profile a user would pick, and one API call.</summary>
internal sealed class Vendor(string title, TokenEndpointBehavior behavior, TokenEndpointProfile profile, string apiPath, Action<OAuth2ClientOptions> configure)
{
    public string Title { get; } = title;

    public string Key { get; } = profile.Name.ToLowerInvariant();

    public TokenEndpointBehavior Behavior { get; } = behavior;

    public TokenEndpointProfile Profile { get; } = profile;

    public string ApiPath { get; } = apiPath;

    public Action<OAuth2ClientOptions> Configure { get; } = configure;

    public EmulatedOAuthServer? Server { get; set; }
}

/// <summary>The system clock plus an offset the demo can move forward, so "one hour later" takes no time.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
