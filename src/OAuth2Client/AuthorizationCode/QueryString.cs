using System.Text;

namespace OAuth2Client.AuthorizationCode;

/// <summary>Reads and writes URI query strings (<c>a=1&amp;b=2</c>), percent-encoded, <c>+</c> read as a space.</summary>
internal static class QueryString
{
    /// <summary>The parameters of a query (with or without its leading <c>?</c>); the first of repeated names wins.</summary>
    public static Dictionary<string, string> Parse(string query)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Decode(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            parameters.TryAdd(name, value);
        }

        return parameters;
    }

    /// <summary>Appends <paramref name="parameters"/> to <paramref name="uri"/>'s query, keeping any it already has.</summary>
    public static Uri Append(Uri uri, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = new StringBuilder(uri.AbsoluteUri.Split('#')[0]);
        char separator = uri.Query.Length > 1 ? '&' : '?';
        if (uri.Query == "?")
        {
            text.Length--;
        }

        foreach (KeyValuePair<string, string> parameter in parameters)
        {
            text.Append(separator).Append(Uri.EscapeDataString(parameter.Key)).Append('=').Append(Uri.EscapeDataString(parameter.Value));
            separator = '&';
        }

        return new Uri(text.ToString(), UriKind.Absolute);
    }

    private static string Decode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
