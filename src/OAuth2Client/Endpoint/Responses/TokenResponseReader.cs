using System.Net;
using OAuth2Client.Diagnostics;
using OAuth2Client.Settings;

namespace OAuth2Client.Endpoint.Responses;

/// <summary>
/// Classifies what the token endpoint answered and turns it into a token or a typed error that says what was wrong:
/// too large, an HTML page, an OAuth2 error (in any status), a redirect, another failure status, or a success whose
/// body the format readers and the validator accept. Tolerant where servers differ (JSON labelled <c>text/html</c>,
/// JSON or XML), strict where it matters.
/// </summary>
internal static class TokenResponseReader
{
    /// <exception cref="OAuth2TokenException">The answer is not a usable token.</exception>
    public static TokenResponse Read(TokenHttpResponse response, ClientSettings settings, TokenEndpointErrors errors, DateTimeOffset sentAt)
    {
        HttpStatusCode status = response.StatusCode;
        if (response.BodyTooLarge)
        {
            string tooLarge = $"larger than the {OAuth2Defaults.MaxTokenResponseBytes / 1024} KiB a token response may have";
            throw errors.Invalid(status, response.IsSuccess ? "its body is " + tooLarge : "with a body " + tooLarge);
        }

        ReadOnlySpan<byte> body = ByteText.TrimStart(response.Body);
        if (LooksLikeHtml(response.MediaType, body))
        {
            throw errors.Invalid(status, response.IsSuccess
                ? $"its body is an HTML page ({response.MediaType ?? "no Content-Type"}), not a token response: check that the token endpoint URL is right"
                : "with an HTML page instead of an OAuth2 error: check that the token endpoint URL is right");
        }

        TokenFields? fields;
        try
        {
            fields = body.IsEmpty ? null : ReadFields(response.MediaType, settings.ResponseFormat, body);
        }
        catch (MalformedTokenResponseException ex)
        {
            // An error response's body is read only for an OAuth2 error code; a body that is not one is no further problem.
            // The parser's own exception is not passed on: its message may quote the body, and so a token.
            fields = response.IsSuccess ? throw errors.Invalid(status, ex.Message) : null;
        }

        if (fields?.Error is { Length: > 0 } error)
        {
            throw errors.Refused(status, error, fields.ErrorDescription, fields.ErrorUri);
        }

        if ((int)status is >= 300 and < 400)
        {
            throw errors.Invalid(status, $"with a redirect{(response.Location is null ? string.Empty : " to " + errors.Quote(Redaction.RedactUri(response.Location)))}, which is not followed so that the client credentials never reach another address: configure the final token endpoint URL");
        }

        if (!response.IsSuccess)
        {
            throw errors.Invalid(status, status == HttpStatusCode.Unauthorized
                ? (body.IsEmpty ? "with no error details" : "with no OAuth2 error code in its body") + ": the client id or secret is probably wrong, or the client may not use this grant"
                : body.IsEmpty ? "with an empty body" : "with no OAuth2 error code in its body");
        }

        return fields is null
            ? throw errors.Invalid(status, "its body is empty")
            : TokenResponseValidator.Validate(fields, status, errors, settings.DefaultTokenLifetime, settings.Scope, sentAt);
    }

    /// <summary>
    /// A Content-Type that names JSON or XML is the truth (an error may come as JSON from a server asked for XML);
    /// otherwise the configured format decides, and <see cref="TokenResponseFormat.Auto"/> looks at the first character.
    /// </summary>
    private static TokenFields ReadFields(string? mediaType, TokenResponseFormat format, ReadOnlySpan<byte> body)
    {
        bool xml = mediaType switch
        {
            { } m when m.Contains("json", StringComparison.OrdinalIgnoreCase) => false,
            { } m when m.Contains("xml", StringComparison.OrdinalIgnoreCase) => true,
            _ => format switch
            {
                TokenResponseFormat.Json => false,
                TokenResponseFormat.Xml => true,
                _ => body[0] == (byte)'<',
            },
        };

        return xml ? XmlTokenFieldsReader.Read(body) : JsonTokenFieldsReader.Read(body);
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

        return ByteText.StartsWithIgnoreCase(body, "<!doctype html"u8) || ByteText.StartsWithIgnoreCase(body, "<html"u8);
    }
}
