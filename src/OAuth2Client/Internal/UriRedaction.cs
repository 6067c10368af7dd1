namespace OAuth2Client.Internal;

/// <summary>Makes URIs safe to log or put in messages: no user info, no query, no fragment.</summary>
internal static class UriRedaction
{
    public static string Redact(Uri? uri)
    {
        if (uri is null)
        {
            return "(none)";
        }

        return uri.IsAbsoluteUri
            ? uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : uri.OriginalString.Split('?', '#')[0];
    }

    public static Uri? RedactToUri(Uri? uri) => uri is { IsAbsoluteUri: true } ? new Uri(Redact(uri), UriKind.Absolute) : null;
}
