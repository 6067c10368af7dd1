using System.Text;

namespace OAuth2Client.Diagnostics;

/// <summary>
/// The one place that makes text safe to log, trace or put in an exception message. Every message builder goes
/// through it: URIs lose their user info, query and fragment; text a server sent loses every credential the request
/// carried (in each form it was sent), its control characters are escaped so it cannot forge log lines, and only then
/// is it shortened, so a cut can never leave the beginning of a credential behind.
/// </summary>
internal static class Redaction
{
    /// <summary>Longest piece of server-supplied text quoted in a message.</summary>
    public const int MaxQuotedLength = 200;

    /// <summary>What a removed credential is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>Credentials shorter than this are not searched for: masking every "a" would make messages useless.</summary>
    private const int MinCredentialLength = 4;

    /// <summary>A URI without user info, query or fragment: <c>https://host/path</c>.</summary>
    public static string RedactUri(Uri? uri)
    {
        if (uri is null)
        {
            return "(none)";
        }

        return uri.IsAbsoluteUri
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : uri.OriginalString.Split('?', '#')[0];
    }

    /// <summary>The same as <see cref="RedactUri"/>, as a <see cref="Uri"/> (for exception properties).</summary>
    public static Uri? SafeUri(Uri? uri) => uri is { IsAbsoluteUri: true } ? new Uri(RedactUri(uri), UriKind.Absolute) : null;

    /// <summary>
    /// Quotes text that came from outside (a server's error description, a redirect's query): removes each of
    /// <paramref name="credentials"/>, escapes control characters, then shortens to <see cref="MaxQuotedLength"/>.
    /// </summary>
    public static string Quote(string text, IReadOnlyList<string>? credentials = null)
    {
        text = RemoveCredentials(text, credentials);
        text = EscapeControlCharacters(text);
        return text.Length <= MaxQuotedLength ? text : string.Concat(text.AsSpan(0, MaxQuotedLength), "…");
    }

    /// <summary>Replaces every occurrence of every credential (longest first, so one that contains another goes whole).</summary>
    public static string RemoveCredentials(string text, IReadOnlyList<string>? credentials)
    {
        if (credentials is null || credentials.Count == 0)
        {
            return text;
        }

        foreach (string credential in credentials.Where(c => c.Length >= MinCredentialLength).OrderByDescending(c => c.Length))
        {
            text = text.Replace(credential, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>
    /// Escapes C0 and C1 control characters (<c>\n</c>, <c>\r</c>, <c>\u001b</c>, …) as <c>\uXXXX</c>, so text from
    /// the wire cannot start a new log line or drive a terminal.
    /// </summary>
    public static string EscapeControlCharacters(string text)
    {
        int first = IndexOfControl(text);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsControl(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static int IndexOfControl(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsControl(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
