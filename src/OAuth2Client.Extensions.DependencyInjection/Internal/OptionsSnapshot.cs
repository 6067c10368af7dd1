using System.Reflection;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// The values of an <see cref="OAuth2ClientOptions"/> instance at one moment, compared by value (dictionaries by their
/// entries, other objects by <see cref="object.Equals(object)"/>), so a configuration reload that changed nothing keeps
/// the client's provider. Held in memory only, never printed: it contains the client secret.
/// </summary>
internal sealed class OptionsSnapshot : IEquatable<OptionsSnapshot>
{
    private static readonly PropertyInfo[] Properties = typeof(OAuth2ClientOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    private readonly object?[] _values;

    private OptionsSnapshot(object?[] values) => _values = values;

    public static OptionsSnapshot Of(OAuth2ClientOptions options)
    {
        var values = new object?[Properties.Length];
        for (int i = 0; i < Properties.Length; i++)
        {
            values[i] = Properties[i].GetValue(options) switch
            {
                IEnumerable<KeyValuePair<string, string>> pairs => pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray(),
                var value => value,
            };
        }

        return new OptionsSnapshot(values);
    }

    public bool Equals(OptionsSnapshot? other)
    {
        if (other is null)
        {
            return false;
        }

        for (int i = 0; i < _values.Length; i++)
        {
            bool same = (_values[i], other._values[i]) switch
            {
                (KeyValuePair<string, string>[] a, KeyValuePair<string, string>[] b) => a.SequenceEqual(b),
                var (a, b) => Equals(a, b),
            };
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as OptionsSnapshot);

    public override int GetHashCode() => _values.Length;

    public override string ToString() => nameof(OptionsSnapshot); // never the values: they include the secret
}
