using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// Binds <see cref="OAuth2ClientOptions"/> from configuration without the reflection-based <c>ConfigurationBinder</c>,
/// so a trimmed or native AOT app binds every key (the binder's <c>TypeConverter</c> lookup of <c>Profile</c> is
/// trimmed away). Keys match property names case-insensitively, as with <c>Bind</c>. A value that does not convert is
/// an error that names its configuration path, its environment variable and, for a choice, the accepted values.
/// </summary>
internal static class OAuth2ClientOptionsBinder
{
    private static readonly PropertyInfo[] Properties = typeof(OAuth2ClientOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    /// <exception cref="OptionsValidationException">A value does not convert; every such value is listed.</exception>
    public static void Bind(string clientName, IConfiguration configuration, OAuth2ClientOptions options)
    {
        var errors = new List<string>();
        foreach (IConfigurationSection child in configuration.GetChildren())
        {
            PropertyInfo? property = Array.Find(Properties, p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                continue; // like ConfigurationBinder: keys the options do not have are ignored
            }

            if (property.Name == nameof(OAuth2ClientOptions.AdditionalParameters))
            {
                foreach (IConfigurationSection parameter in child.GetChildren())
                {
                    options.AdditionalParameters[parameter.Key] = parameter.Value ?? string.Empty;
                }

                continue;
            }

            if (child.Value is not { } text || property.SetMethod is not { IsPublic: true })
            {
                continue;
            }

            if (TryConvert(property.PropertyType, text, out object? value, out string? accepted))
            {
                property.SetValue(options, value);
            }
            else
            {
                errors.Add($"OAuth2 client '{clientName}': {child.Path} = '{Diagnostics.Quote(text)}' is not a valid {property.Name}: {accepted} (in configuration at {child.Path}, or the environment variable {EnvironmentVariable(child.Path)}).");
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(clientName, typeof(OAuth2ClientOptions), errors);
        }
    }

    /// <summary>The environment variable that sets a configuration key: <c>OAuth2:Ords:ClientSecret</c> is <c>OAuth2__Ords__ClientSecret</c>.</summary>
    public static string EnvironmentVariable(string path) => path.Replace(":", "__", StringComparison.Ordinal);

    private static bool TryConvert(Type type, string text, out object? value, out string? accepted)
    {
        accepted = null;
        value = null;
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            if (text.Length == 0)
            {
                return true;
            }

            type = underlying;
        }

        switch (type)
        {
            case not null when type == typeof(string):
                value = text;
                return true;
            case not null when type == typeof(Uri):
                accepted = "use an absolute URL such as https://login.example.com/oauth2/token";
                return TrySet(Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out Uri? uri), uri, out value);
            case not null when type == typeof(bool):
                accepted = "use true or false";
                return TrySet(bool.TryParse(text, out bool flag), flag, out value);
            case not null when type == typeof(int):
                accepted = "use a whole number";
                return TrySet(int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number), number, out value);
            case not null when type == typeof(long):
                accepted = "use a whole number";
                return TrySet(long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long big), big, out value);
            case not null when type == typeof(TimeSpan):
                accepted = "use a time span such as 00:00:30 (30 seconds) or 00:05:00 (5 minutes)";
                return TrySet(TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out TimeSpan span), span, out value);
            case not null when type == typeof(TokenEndpointProfile):
                accepted = "use one of " + string.Join(", ", TokenEndpointProfile.PresetNames);
                return TrySet(TokenEndpointProfile.TryGetPreset(text, out TokenEndpointProfile? profile), profile, out value);
            case { IsEnum: true }:
                accepted = "use one of " + string.Join(", ", Enum.GetNames(type));
                object? parsed = null;
                return TrySet(IsName(text) && Enum.TryParse(type, text, ignoreCase: true, out parsed) && Enum.IsDefined(type, parsed!), parsed, out value);
            default:
                accepted = "this option cannot be set from configuration; set it in code";
                return false;
        }
    }

    /// <summary>Enum values by name only: a number would select a value that may be renamed or not exist.</summary>
    private static bool IsName(string text) => text.Length > 0 && !char.IsAsciiDigit(text[0]) && text[0] is not '-' and not '+';

    private static bool TrySet(bool ok, object? parsed, out object? value)
    {
        value = ok ? parsed : null;
        return ok;
    }

    /// <summary>Escapes what configuration may carry into a message (a value is never a secret here: secrets are strings, which always convert).</summary>
    private static class Diagnostics
    {
        public static string Quote(string text) => (text.Length > 40 ? string.Concat(text.AsSpan(0, 40), "…") : text).ReplaceLineEndings(" ");
    }
}
