using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace OAuth2Client.Testing;

/// <summary>The client-credentials token endpoint of the emulated server: the vendor's body, client authentication, grant and answer rules.</summary>
public sealed partial class EmulatedOAuthServer
{
    private TokenReply IssueOrRefuse(HttpRequest httpRequest, RecordedRequest request)
    {
        if (!HttpMethods.IsPost(httpRequest.Method))
        {
            return Error(405, "invalid_request", "The token endpoint accepts POST only.");
        }

        string mediaType = (request.ContentType ?? string.Empty).Split(';')[0].Trim();
        bool json = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        bool form = mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        bool allowed = Behavior.Body switch
        {
            RequiredBody.Form => form,
            RequiredBody.Json => json,
            _ => json || form || (mediaType.Length == 0 && request.Body.Length == 0),
        };
        if (!allowed)
        {
            return Error(400, "invalid_request", $"Unsupported Content-Type '{request.ContentType}'.");
        }

        Dictionary<string, string> fields;
        if (json)
        {
            if (!TryReadJson(request.Body, out fields))
            {
                return Error(400, "invalid_request", "The body is not a JSON object of strings.");
            }
        }
        else
        {
            fields = QueryHelpers.ParseQuery(request.BodyText).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        }

        if (!Authenticate(request.Authorization, fields, json, out string? failure))
        {
            return Error(401, "invalid_client", failure);
        }

        if (Behavior.RequireGrantType)
        {
            if (!fields.TryGetValue("grant_type", out string? grant) || grant != "client_credentials")
            {
                return Error(400, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
            }
        }
        else if (fields.ContainsKey("grant_type"))
        {
            return Error(400, "invalid_request", "grant_type is not an input of this service.");
        }

        string? scope = fields.TryGetValue("scope", out string? requested) && requested.Length > 0 ? requested : Behavior.DefaultScope;
        return Issue(httpRequest, scope);
    }

    private TokenReply Issue(HttpRequest httpRequest, string? scope)
    {
        string token = IssueAccessToken(scope);
        bool xml = Behavior.ResponseFormat == EmulatedResponseFormat.Xml
            || (Behavior.ResponseFormat == EmulatedResponseFormat.ByAccept && PrefersXml(httpRequest.Headers.Accept.ToString()));
        string? grantedScope = Behavior.ReturnScope ? scope : null;
        if (xml)
        {
            var body = new StringBuilder("<Response xmlns=\"https://localhost/rest/pub.mediator.oauth2.getOAuth2AccessToken\">");
            body.Append("<access_token>").Append(token).Append("</access_token>");
            if (TokenLifetimeSeconds is { } lifetime)
            {
                body.Append("<expires_in>").Append(lifetime).Append("</expires_in>");
            }

            body.Append("<token_type>").Append(Behavior.TokenType).Append("</token_type>");
            if (grantedScope is not null)
            {
                body.Append("<scope>").Append(System.Security.SecurityElement.Escape(grantedScope)).Append("</scope>");
            }

            return new TokenReply(200, "application/xml", body.Append("</Response>").ToString());
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("access_token", token);
            writer.WriteString("token_type", Behavior.TokenType);
            if (TokenLifetimeSeconds is { } lifetime)
            {
                if (Behavior.ExpiresInAsString)
                {
                    writer.WriteString("expires_in", lifetime.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteNumber("expires_in", lifetime);
                }
            }

            if (grantedScope is not null)
            {
                writer.WriteString("scope", grantedScope);
            }

            writer.WriteEndObject();
        }

        return TokenReply.Json(200, Encoding.UTF8.GetString(stream.ToArray()));
    }

    private bool Authenticate(string? authorization, Dictionary<string, string> fields, bool json, out string failure)
    {
        failure = "Client authentication failed.";
        if (authorization is not null)
        {
            // The header wins when credentials are sent both ways (CentraSite documents this; RFC 6749 forbids both).
            if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
            {
                failure = "Unsupported Authorization scheme.";
                return false;
            }

            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            }
            catch (FormatException)
            {
                failure = "Malformed Basic credentials.";
                return false;
            }

            int colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                failure = "Malformed Basic credentials.";
                return false;
            }

            string id = decoded[..colon];
            string secret = decoded[(colon + 1)..];
            if (Behavior.ClientAuth.HasFlag(AcceptedClientAuth.BasicRaw) && id == ClientId && secret == ClientSecret)
            {
                return true;
            }

            return Behavior.ClientAuth.HasFlag(AcceptedClientAuth.BasicFormEncoded)
                && FormDecode(id) == ClientId && FormDecode(secret) == ClientSecret;
        }

        AcceptedClientAuth needed = json ? AcceptedClientAuth.JsonBody : AcceptedClientAuth.FormBody;
        if (!Behavior.ClientAuth.HasFlag(needed))
        {
            failure = json ? "Credentials in a JSON body are not accepted." : "Credentials in a form body are not accepted.";
            return false;
        }

        return fields.TryGetValue("client_id", out string? bodyId) && bodyId == ClientId
            && fields.TryGetValue("client_secret", out string? bodySecret) && bodySecret == ClientSecret;
    }

    private TokenReply Error(int status, string error, string description)
        => Behavior.Errors == ErrorStyle.BareStatus
            ? new TokenReply(status, null, string.Empty)
            : TokenReply.Json(status, JsonSerializer.Serialize(Behavior.ErrorDescriptions
                ? new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }
                : new Dictionary<string, string> { ["error"] = error }));

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    private static bool PrefersXml(string accept)
    {
        int xml = accept.IndexOf("xml", StringComparison.OrdinalIgnoreCase);
        int json = accept.IndexOf("json", StringComparison.OrdinalIgnoreCase);
        return xml >= 0 && (json < 0 || xml < json);
    }

    private static bool TryReadJson(byte[] body, out Dictionary<string, string> fields)
    {
        fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return false;
                }

                fields[property.Name] = property.Value.GetString()!;
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
