using System.Text;
using System.Text.Json;

namespace OAuth2Client.Endpoint.Responses;

/// <summary>
/// Reads the fields of a JSON token or error response (RFC 6749 §5.1, §5.2) with <see cref="Utf8JsonReader"/>:
/// tolerant of numbers as strings and of unknown structured members, strict about malformed or invalid UTF-8 input.
/// </summary>
internal static class JsonTokenFieldsReader
{
    private const int MaxDepth = 16;

    /// <exception cref="MalformedTokenResponseException">The body is not a well-formed JSON object, or repeats a token field.</exception>
    public static TokenFields Read(ReadOnlySpan<byte> body)
    {
        var fields = new TokenFields();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new MalformedTokenResponseException("its body is not a JSON object");
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
                    throw new MalformedTokenResponseException("its expires_in is not a number of seconds");
                }

                fields.Set(name, value);
            }

            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw new MalformedTokenResponseException("its JSON object is malformed");
            }

            reader.Read();
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader reports a string that is not valid UTF-8 this way.
            throw new MalformedTokenResponseException("its body is not valid UTF-8 JSON", ex);
        }
        catch (JsonException ex)
        {
            throw new MalformedTokenResponseException(
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
}
