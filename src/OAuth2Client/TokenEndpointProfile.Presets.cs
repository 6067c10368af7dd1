using System.Diagnostics.CodeAnalysis;

namespace OAuth2Client;

public sealed partial record TokenEndpointProfile
{
    /// <summary>
    /// A generic RFC 6749 token endpoint (the default): Basic client authentication with RFC 6749 §2.3.1 encoding,
    /// a form body with <c>grant_type</c>, a JSON response. It has no fixed path: set <see cref="OAuth2ClientOptions.TokenEndpoint"/>.
    /// </summary>
    public static TokenEndpointProfile Rfc6749 { get; } = new() { Name = "Rfc6749" };

    private static readonly TokenEndpointProfile[] Presets = [Rfc6749];

    /// <summary>Gets the names of the built-in profiles, as accepted in configuration.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = Array.ConvertAll(Presets, p => p.Name);

    /// <summary>Finds a built-in profile by name, ignoring case.</summary>
    /// <param name="name">A name from <see cref="PresetNames"/>.</param>
    /// <param name="profile">The profile, when found.</param>
    /// <returns><see langword="true"/> when a profile of that name exists.</returns>
    public static bool TryGetPreset(string? name, [NotNullWhen(true)] out TokenEndpointProfile? profile)
    {
        profile = Array.Find(Presets, p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return profile is not null;
    }
}
