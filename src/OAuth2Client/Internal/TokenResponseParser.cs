using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace OAuth2Client.Internal;

/// <summary>
/// Turns a token endpoint's answer into a token or a <see cref="OAuth2TokenException"/> that says what was wrong.
/// Strict where it matters (a token, a positive sane lifetime, a bearer type), tolerant where servers differ
/// (<c>bearer</c> in lower case, <c>expires_in</c> as a string, JSON or XML). Messages never quote a token or secret.
/// </summary>
internal static class TokenResponseParser
{
    private const int MaxQuotedLength = 200;

    public static TokenResponse Parse(TokenHttpResponse response, ClientSettings settings, DateTimeOffset sentAt)
    {
        var context = new ParseContext(response, settings);
        if (response.BodyTooLarge)
        {
            throw context.Fail($"its body is larger than the {OAuth2Defaults.MaxTokenResponseBytes / 1024} KiB a token response may have");
        }

        ReadOnlySpan<byte> body = TrimStart(response.Body);
        if (LooksLikeHtml(response.MediaType, body))
        {
            throw context.Fail(response.IsSuccess
                ? $"its body is an HTML page ({response.MediaType ?? "no Content-Type"}), not a token response: check that the token endpoint URL is right"
                : "with an HTML page instead of an OAuth2 error: check that the token endpoint URL is right");
        }

        TokenFields? fields = body.IsEmpty ? null
            : response.IsSuccess ? ReadFields(context, body)
            : TryReadErrorFields(context, body);

        if (fields?.Error is { Length: > 0 } error)
        {
            throw context.OAuthError(error, fields.ErrorDescription, fields.ErrorUri);
        }

        if ((int)response.StatusCode is >= 300 and < 400)
        {
            throw context.Fail($"with a redirect{(response.Location is null ? string.Empty : " to " + UriRedaction.Redact(response.Location))}, which is not followed so that the client credentials never reach another address: configure the final token endpoint URL");
        }

        if (!response.IsSuccess)
        {
            throw context.Fail(response.StatusCode == HttpStatusCode.Unauthorized
                ? (body.IsEmpty ? "with no error details" : "with no OAuth2 error code in its body") + ": the client id or secret is probably wrong, or the client may not use this grant"
                : body.IsEmpty ? "with an empty body" : "with no OAuth2 error code in its body");
        }

        if (fields is null)
        {
            throw context.Fail("its body is empty");
        }

        if (string.IsNullOrWhiteSpace(fields.AccessToken))
        {
            throw context.Fail(fields.AccessTokenWasNotString ? "its access_token is not a string" : "it has no access_token");
        }

        if (!IsHeaderSafe(fields.AccessToken))
        {
            throw context.Fail("its access_token contains characters that cannot be sent in an Authorization header (only visible ASCII without spaces is allowed)");
        }

        string tokenType = fields.TokenType ?? "Bearer";
        if (!string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw context.Fail($"its token_type is '{context.Quote(tokenType)}'; only Bearer tokens are supported");
        }

        TimeSpan lifetime = ReadLifetime(context, fields, settings.DefaultTokenLifetime);
        var token = new AccessToken(fields.AccessToken, sentAt + lifetime, fields.Scope ?? settings.Scope, tokenType);
        return new TokenResponse(token, string.IsNullOrWhiteSpace(fields.RefreshToken) ? null : fields.RefreshToken, sentAt);
    }

    private static TimeSpan ReadLifetime(ParseContext context, TokenFields fields, TimeSpan defaultLifetime)
    {
        if (fields.ExpiresIn is null)
        {
            return defaultLifetime;
        }

        if (!decimal.TryParse(fields.ExpiresIn, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out decimal seconds))
        {
            throw context.Fail($"its expires_in '{context.Quote(fields.ExpiresIn)}' is not a number of seconds");
        }

        if (seconds <= 0)
        {
            throw context.Fail($"its expires_in is {seconds.ToString(CultureInfo.InvariantCulture)}; a token's lifetime must be positive");
        }

        if (seconds < 1)
        {
            throw context.Fail($"its expires_in is {seconds.ToString(CultureInfo.InvariantCulture)}; a token that lives less than a second cannot be used");
        }

        if (seconds > OAuth2Defaults.MaxExpiresInSeconds)
        {
            throw context.Fail($"its expires_in is {context.Quote(fields.ExpiresIn)} seconds, more than a year; such a lifetime is not plausible");
        }

        return TimeSpan.FromSeconds((double)seconds);
    }

    /// <summary>An error response's body is read for an OAuth2 error code; a body that is not one is no further problem.</summary>
    private static TokenFields? TryReadErrorFields(ParseContext context, ReadOnlySpan<byte> body)
    {
        try
        {
            return ReadFields(context, body);
        }
        catch (OAuth2TokenException)
        {
            return null;
        }
    }

    private static TokenFields ReadFields(ParseContext context, ReadOnlySpan<byte> body)
    {
        // A Content-Type that names JSON or XML is the truth (an error may come as JSON from a server asked for XML);
        // otherwise the configured format decides, and Auto looks at the first character.
        bool xml = context.Response.MediaType switch
        {
            { } m when m.Contains("json", StringComparison.OrdinalIgnoreCase) => false,
            { } m when m.Contains("xml", StringComparison.OrdinalIgnoreCase) => true,
            _ => context.Settings.ResponseFormat switch
            {
                TokenResponseFormat.Json => false,
                TokenResponseFormat.Xml => true,
                _ => body[0] == (byte)'<',
            },
        };

        return xml ? ReadXml(context, body) : ReadJson(context, body);
    }

    private static TokenFields ReadJson(ParseContext context, ReadOnlySpan<byte> body)
    {
        var fields = new TokenFields();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw context.Fail(context.Response.IsSuccess
                    ? "its body is not a JSON object"
                    : "its body is not an OAuth2 error object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.Null => null,
                    JsonTokenType.True or JsonTokenType.False => reader.GetBoolean() ? "true" : "false",
                    _ => SkipStructured(ref reader),
                };

                if (name == "access_token" && reader.TokenType is not (JsonTokenType.String or JsonTokenType.Null))
                {
                    fields.AccessTokenWasNotString = true;
                    continue;
                }

                if (name == "expires_in" && reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    throw context.Fail("its expires_in is not a number of seconds");
                }

                fields.Set(name, value, context);
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw context.Fail("its JSON object is malformed");
            }

            reader.Read();
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports a string that is not valid UTF-8 this way.
            throw context.Fail("its body is not valid UTF-8 JSON", ex);
        }
        catch (JsonException ex)
        {
            throw context.Fail(
                ex.BytePositionInLine is { } position
                    ? $"its body is not valid JSON (truncated or malformed near byte {position + 1} of line {ex.LineNumber + 1})"
                    : "its body is not valid JSON (truncated or malformed)",
                ex);
        }

        return fields;
    }

    private static string? SkipStructured(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static TokenFields ReadXml(ParseContext context, ReadOnlySpan<byte> body)
    {
        if (ContainsDoctype(body))
        {
            throw context.Fail("its XML body declares a DTD (<!DOCTYPE>), which is refused for security; no entity was resolved");
        }

        var settings = new XmlReaderSettings
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

        var fields = new TokenFields();
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element)
            {
                throw context.Fail("its XML body has no root element");
            }

            if (reader.IsEmptyElement)
            {
                return fields;
            }

            int childDepth = reader.Depth + 1;
            reader.Read();
            while (!reader.EOF && reader.Depth >= childDepth)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Depth == childDepth)
                {
                    string name = reader.LocalName;
                    fields.Set(name, reader.ReadElementContentAsString(), context);
                }
                else
                {
                    reader.Read();
                }
            }
        }
        catch (XmlException ex)
        {
            throw context.Fail($"its body is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition})");
        }

        return fields;
    }

    /// <summary>
    /// An HTML page, by its body: a body that starts like a JSON object is read as JSON even when the server labels it
    /// <c>text/html</c> (some older web servers label everything that way).
    /// </summary>
    private static bool LooksLikeHtml(string? mediaType, ReadOnlySpan<byte> body)
    {
        if (!body.IsEmpty && body[0] == (byte)'{')
        {
            return false;
        }

        if (mediaType is not null && mediaType.Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return StartsWithIgnoreCase(body, "<!doctype html"u8) || StartsWithIgnoreCase(body, "<html"u8);
    }

    private static bool ContainsDoctype(ReadOnlySpan<byte> body)
    {
        for (int i = body.IndexOf((byte)'<'); i >= 0 && i < body.Length; i++)
        {
            if (body[i] == (byte)'<' && StartsWithIgnoreCase(body[i..], "<!doctype"u8))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> text, ReadOnlySpan<byte> prefix)
    {
        if (text.Length < prefix.Length)
        {
            return false;
        }

        for (int i = 0; i < prefix.Length; i++)
        {
            if (char.ToLowerInvariant((char)text[i]) != prefix[i])
            {
                return false;
            }
        }

        return true;
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> body)
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

    /// <summary>Visible ASCII without spaces: what an Authorization header can carry (RFC 6750's b64token is a subset).</summary>
    private static bool IsHeaderSafe(string token)
    {
        foreach (char c in token)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    internal static string Quote(string value)
        => value.Length <= MaxQuotedLength ? value : string.Concat(value.AsSpan(0, MaxQuotedLength), "…");

    private sealed class TokenFields
    {
        public string? AccessToken { get; private set; }

        public bool AccessTokenWasNotString { get; set; }

        public string? TokenType { get; private set; }

        public string? ExpiresIn { get; private set; }

        public string? Scope { get; private set; }

        public string? RefreshToken { get; private set; }

        public string? Error { get; private set; }

        public string? ErrorDescription { get; private set; }

        public string? ErrorUri { get; private set; }

        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        /// <summary>Sets a field; a token field given twice is refused rather than letting the last one win.</summary>
        public void Set(string name, string? value, ParseContext context)
        {
            if (name is "access_token" or "token_type" or "expires_in" or "refresh_token" or "error" && !_seen.Add(name))
            {
                throw context.Fail($"its body repeats the field '{name}'");
            }

            switch (name)
            {
                case "access_token": AccessToken = value; break;
                case "token_type": TokenType = value?.Trim(); break;
                case "expires_in": ExpiresIn = value; break;
                case "scope": Scope = string.IsNullOrWhiteSpace(value) ? null : value.Trim(); break;
                case "refresh_token": RefreshToken = value; break;
                case "error": Error = value?.Trim(); break;
                case "error_description": ErrorDescription = value; break;
                case "error_uri": ErrorUri = value; break;
                default: break;
            }
        }
    }

    private readonly struct ParseContext(TokenHttpResponse response, ClientSettings settings)
    {
        public TokenHttpResponse Response { get; } = response;

        public ClientSettings Settings { get; } = settings;

        private string Status => $"HTTP {(int)Response.StatusCode} ({Response.StatusCode})";

        public OAuth2TokenException Fail(string problem, Exception? inner = null)
        {
            string message = Response.IsSuccess
                ? $"The token endpoint {Settings.RedactedTokenEndpoint} answered {Status} but {problem}."
                : $"The token endpoint {Settings.RedactedTokenEndpoint} answered {Status} {problem}.";
            return new OAuth2TokenException(message, UriRedaction.RedactToUri(Settings.TokenEndpoint), Response.StatusCode, innerException: inner);
        }

        public OAuth2TokenException OAuthError(string error, string? description, string? errorUri)
        {
            error = Quote(error);
            description = description is null ? null : Quote(description);
            errorUri = errorUri is null ? null : Quote(errorUri);
            string message = $"The token endpoint {Settings.RedactedTokenEndpoint} refused the token request: {Status}, error '{error}'"
                + (string.IsNullOrWhiteSpace(description) ? "." : $": {description}");
            return new OAuth2TokenException(message, UriRedaction.RedactToUri(Settings.TokenEndpoint), Response.StatusCode, error, description, errorUri);
        }

        /// <summary>
        /// Shortens text that came from the server and removes the credentials from it, in every form the client sent
        /// them (raw, form-encoded, as a Basic header): a server may echo what it was sent.
        /// </summary>
        public string Quote(string text)
        {
            text = TokenResponseParser.Quote(text);
            if (Settings.ClientSecret is not { Length: >= 4 } secret)
            {
                return text;
            }

            string id = Settings.ClientId;
            string[] forms =
            [
                Convert.ToBase64String(Encoding.UTF8.GetBytes(id + ":" + secret)),
                Convert.ToBase64String(Encoding.UTF8.GetBytes(FormEncoding.Encode(id) + ":" + FormEncoding.Encode(secret))),
                FormEncoding.Encode(secret),
                secret,
            ];
            foreach (string form in forms)
            {
                text = text.Replace(form, "***", StringComparison.Ordinal);
            }

            return text;
        }
    }
}
