using System.Text;

namespace OAuth2Client.Endpoint;

/// <summary><c>application/x-www-form-urlencoded</c> encoding (UTF-8, space as <c>+</c>), for bodies and RFC 6749 §2.3.1 Basic credentials.</summary>
internal static class FormEncoding
{
    public static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                builder.Append(c);
            }
            else if (c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                int length = char.IsHighSurrogate(c) && i + 1 < value.Length
                    ? Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                    : Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
                foreach (byte b in utf8[..length])
                {
                    builder.Append('%').Append(ToHex(b >> 4)).Append(ToHex(b & 0xF));
                }
            }
        }

        return builder.ToString();
    }

    public static byte[] EncodeBody(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var builder = new StringBuilder();
        foreach (KeyValuePair<string, string> field in fields)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            builder.Append(Encode(field.Key)).Append('=').Append(Encode(field.Value));
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private static char ToHex(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
