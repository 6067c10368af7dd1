namespace OAuth2Client.Endpoint.Responses;

/// <summary>Small ASCII helpers over a response body's bytes, before it is decoded.</summary>
internal static class ByteText
{
    /// <summary>Whether <paramref name="text"/> starts with <paramref name="lowerCasePrefix"/>, ignoring ASCII case.</summary>
    public static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> lowerCasePrefix)
    {
        if (text.Length < lowerCasePrefix.Length)
        {
            return false;
        }

        for (int i = 0; i < lowerCasePrefix.Length; i++)
        {
            if (char.ToLowerInvariant((char)text[i]) != lowerCasePrefix[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The body without a UTF-8 byte-order mark and leading white space.</summary>
    public static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        int start = 0;
        while (start < body.Length && body[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        return body[start..];
    }
}
