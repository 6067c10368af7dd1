using System.Xml;
using OAuth2Client.Settings;

namespace OAuth2Client.Endpoint.Responses;

/// <summary>
/// Reads the fields of an XML token response (CentraSite's <c>&lt;Response&gt;&lt;access_token/&gt;…&lt;/Response&gt;</c>):
/// the root element's children by local name, whatever the namespace; unknown children are skipped whole, nested or
/// not. Hardened: a DTD is refused before parsing, no entity is resolved, no resolver is set, and the document's size
/// is capped.
/// </summary>
internal static class XmlTokenFieldsReader
{
    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = OAuth2Defaults.MaxTokenResponseBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    /// <exception cref="MalformedTokenResponseException">The body declares a DTD, has no root element, is not well-formed, or repeats a token field.</exception>
    public static TokenFields Read(ReadOnlySpan<byte> body)
    {
        if (ContainsDoctype(body))
        {
            throw new MalformedTokenResponseException("its XML body declares a DTD (<!DOCTYPE>), which is refused for security; no entity was resolved");
        }

        var fields = new TokenFields();
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, ReaderSettings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
            {
                throw new MalformedTokenResponseException("its XML body has no root element");
            }

            if (reader.IsEmptyElement)
            {
                return fields;
            }

            int childDepth = reader.Depth + 1;
            reader.Read();
            while (!reader.EOF && reader.Depth >= childDepth)
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != childDepth)
                {
                    reader.Read();
                }
                else if (IsTokenField(reader.LocalName))
                {
                    string name = reader.LocalName;
                    fields.Set(name, reader.ReadElementContentAsString());
                }
                else
                {
                    reader.Skip();
                }
            }

            // Read to the end, so that anything malformed after the fields is still refused.
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            throw new MalformedTokenResponseException($"its body is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition})", ex);
        }

        return fields;
    }

    private static bool IsTokenField(string name)
        => name is "access_token" or "token_type" or "expires_in" or "scope" or "refresh_token" or "error" or "error_description" or "error_uri";

    private static bool ContainsDoctype(ReadOnlySpan<byte> body)
    {
        for (int i = body.IndexOf((byte)'<'); i >= 0 && i < body.Length; i++)
        {
            if (body[i] == (byte)'<' && ByteText.StartsWithIgnoreCase(body[i..], "<!doctype"u8))
            {
                return true;
            }
        }

        return false;
    }
}
