using System.ComponentModel;
using System.Globalization;

namespace OAuth2Client.Internal;

/// <summary>Lets configuration bind <c>"Profile": "Ords"</c> to a preset <see cref="TokenEndpointProfile"/>.</summary>
internal sealed class TokenEndpointProfileConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType)
        => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string name)
        {
            return TokenEndpointProfile.TryGetPreset(name, out TokenEndpointProfile? profile)
                ? profile
                : throw new FormatException(
                    $"Unknown token endpoint profile '{name}'. Use one of: {string.Join(", ", TokenEndpointProfile.PresetNames)}.");
        }

        return base.ConvertFrom(context, culture, value);
    }

    public override bool CanConvertTo(ITypeDescriptorContext? context, Type? destinationType)
        => destinationType == typeof(string) || base.CanConvertTo(context, destinationType);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType)
        => value is TokenEndpointProfile profile && destinationType == typeof(string)
            ? profile.Name
            : base.ConvertTo(context, culture, value, destinationType);
}
