using System.ComponentModel;
using System.Globalization;

namespace OAuth2Client.Profiles;

/// <summary>Lets configuration bind <c>"Profile": "Ords"</c> to a preset <see cref="TokenEndpointProfile"/>.</summary>
internal sealed class TokenEndpointProfileConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType)
        => sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string name)
        {
            // An unknown name is kept as an unresolved profile so validation reports it with the option's name and the fix,
            // instead of the configuration binder failing with a conversion error.
            return TokenEndpointProfile.TryGetPreset(name, out TokenEndpointProfile? profile)
                ? profile
                : TokenEndpointProfile.Unresolved(name);
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
