using System.Net;
using System.Text;
using OAuth2Client.Endpoint;
using OAuth2Client.Endpoint.Responses;
using OAuth2Client.Grants;
using OAuth2Client.Settings;
using static OAuth2Client.Tests.TestSupport.EndpointTestSupport;

namespace OAuth2Client.Tests.Endpoint.Responses;

/// <summary>
/// The classification of a token endpoint's answer, on a <see cref="TokenHttpResponse"/> built directly: the same bad
/// responses and expected messages as the wire-level <see cref="TokenEndpointClientTests.BadResponses"/>, and more.
/// </summary>
public sealed class TokenResponseReaderTests
{
    /// <summary>Every bad answer a token endpoint has been seen to give, with what the message must say.</summary>
    public static TheoryData<string, int, string?, string, string> BadResponses => new()
    {
        { "html page", 200, "text/html", "<!DOCTYPE html><html><body>Login</body></html>", "HTML page" },
        { "html without content type", 200, null, "  <html><body>Portal</body></html>", "HTML page" },
        { "truncated json", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"expires_in\":36", "not valid JSON (truncated or malformed" },
        { "empty body", 200, "application/json", "", "its body is empty" },
        { "json array", 200, "application/json", "[1,2]", "not a JSON object" },
        { "missing access_token", 200, "application/json", "{\"token_type\":\"Bearer\",\"expires_in\":3600}", "it has no access_token" },
        { "numeric access_token", 200, "application/json", "{\"access_token\":12345,\"token_type\":\"Bearer\"}", "access_token is not a string" },
        { "mac token type", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"token_type\":\"mac\",\"expires_in\":3600}", "token_type is 'mac'; only Bearer tokens are supported" },
        { "negative expires_in", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"token_type\":\"Bearer\",\"expires_in\":-5}", "expires_in is -5; a token's lifetime must be positive" },
        { "zero expires_in", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"token_type\":\"Bearer\",\"expires_in\":0}", "expires_in is 0; a token's lifetime must be positive" },
        { "string expires_in", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"token_type\":\"Bearer\",\"expires_in\":\"one hour\"}", "expires_in 'one hour' is not a number of seconds" },
        { "boolean expires_in", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"token_type\":\"Bearer\",\"expires_in\":true}", "expires_in is not a number of seconds" },
        { "NaN expires_in", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"token_type\":\"Bearer\",\"expires_in\":\"NaN\"}", "expires_in 'NaN' is not a number of seconds" },
        { "400 invalid_client", 400, "application/json", "{\"error\":\"invalid_client\",\"error_description\":\"Unknown client\"}", "refused the token request: HTTP 400 (BadRequest), error 'invalid_client': Unknown client" },
        { "401 empty body", 401, null, "", "HTTP 401 (Unauthorized) with no error details: the client id or secret is probably wrong" },
        { "500", 500, "text/plain", "Internal error", "HTTP 500 (InternalServerError) with no OAuth2 error code in its body" },
        { "401 ORDS-style problem json", 401, "application/json", "{\"code\":\"Unauthorized\",\"message\":\"Unauthorized\",\"type\":\"tag:oracle.com,2020:error/Unauthorized\"}", "HTTP 401 (Unauthorized) with no OAuth2 error code in its body: the client id or secret is probably wrong" },
        { "503 empty", 503, null, "", "HTTP 503 (ServiceUnavailable) with an empty body" },
        { "404 html", 404, "text/html", "<html><body>Not Found</body></html>", "HTTP 404 (NotFound) with an HTML page instead of an OAuth2 error" },
        { "xml with dtd", 200, "application/xml", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response><access_token>&x;</access_token></Response>", "declares a DTD" },
        { "malformed xml", 200, "application/xml", "<Response><access_token>abc</Response>", "not well-formed XML" },
        { "error in 200 body", 200, "application/json", "{\"error\":\"invalid_scope\"}", "error 'invalid_scope'" },
        { "deeply nested json", 200, "application/json", "{\"a\":" + new string('[', 5000), "not valid JSON" },
        { "duplicated access_token", 200, "application/json", "{\"access_token\":\"first\",\"expires_in\":3600,\"access_token\":\"second\",\"expires_in\":5}", "repeats the field 'access_token'" },
        { "sub-second expires_in", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"expires_in\":0.5}", "expires_in is 0.5; a token that lives less than a second cannot be used" },
        { "token with CRLF", 200, "application/json", "{\"access_token\":\"abc\\r\\nX-Injected: 1\",\"expires_in\":60}", "cannot be sent in an Authorization header" },
        { "token with non-ASCII", 200, "application/json", "{\"access_token\":\"t\u00f6k\",\"expires_in\":60}", "cannot be sent in an Authorization header" },
        { "token with space", 200, "application/json", "{\"access_token\":\"abc def\",\"expires_in\":60}", "cannot be sent in an Authorization header" },
        { "redirect", 307, null, "", "with a redirect" },
    };

    private const string IssuedLookalike = "tok-ABCDEF0123456789-secret-token-value";

    private static readonly ClientSettings SettingsForRfc6749 = ConfidentialSettings();

    [Theory]
    [MemberData(nameof(BadResponses))]
    public void Read_BadResponse_ThrowsTypedExceptionThatSaysWhatWasWrong(string scenario, int status, string? contentType, string body, string expected)
    {
        TokenRequest request = new TokenRequestBuilder(SettingsForRfc6749).Build(new ClientCredentialsGrant(sendGrantType: true));

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(
            () => TokenResponseReader.Read(Response(status, contentType, body), SettingsForRfc6749, Errors(SettingsForRfc6749, request.Credentials), DateTimeOffset.UtcNow));

        Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{scenario}: '{ex.Message}' should contain '{expected}'");
        Assert.StartsWith($"The token endpoint {RedactedEndpoint(SettingsForRfc6749)} ", ex.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(new Uri("https://idp.example.com/oauth2/token"), ex.TokenEndpoint);
        string text = ex.ToString();
        Assert.DoesNotContain(IssuedLookalike, text, StringComparison.Ordinal);
        Assert.DoesNotContain("acme-query", text, StringComparison.Ordinal);
        foreach (string credential in request.Credentials)
        {
            Assert.DoesNotContain(credential, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(400, "{\"error\":\"invalid_client\",\"error_description\":\"Unknown client\",\"error_uri\":\"https://docs.example.com/errors\"}", "invalid_client", "Unknown client", "https://docs.example.com/errors")]
    [InlineData(401, "{\"error\":\"unsupported_grant_type\"}", "unsupported_grant_type", null, null)]
    [InlineData(200, "{\"error\":\"invalid_scope\",\"access_token\":\"" + IssuedLookalike + "\"}", "invalid_scope", null, null)]
    public void Read_OAuth2Error_RefusedWithErrorFields(int status, string body, string error, string? description, string? errorUri)
    {
        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Read(Response(status, "application/json", body)));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(error, ex.Error);
        Assert.Equal(description, ex.ErrorDescription);
        Assert.Equal(errorUri, ex.ErrorUri);
        Assert.StartsWith($"The token endpoint {RedactedEndpoint(SettingsForRfc6749)} refused the token request: HTTP {status} ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(description is null ? $"error '{error}'." : $"error '{error}': {description}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(IssuedLookalike, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8_ThrowsNotValidUtf8Json()
    {
        byte[] body = [.. "{\"access_token\":\"ab"u8, 0xC3, 0x28, .. "\",\"expires_in\":60}"u8];

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Read(Response(200, "application/json", body)));

        Assert.Contains("answered HTTP 200 (OK) but its body is not valid UTF-8 JSON.", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Null(ex.InnerException); // the parser's exception may quote the body, so it is not passed on
    }

    [Theory]
    [InlineData("{\"access_token\":\"abc\",\"expires_in\":60} trailing")]
    [InlineData("{\"access_token\":\"" + IssuedLookalike + "\",\"expires_in\":36")]
    [InlineData("{\"access_token\":abc-" + IssuedLookalike + "}")]
    public void Read_MalformedJsonAroundTokenNotStartingWithTFN_TokenNotInToString(string body)
    {
        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Read(Response(200, "application/json", body)));

        Assert.Contains("its body is not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-ABCDEF", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnquotedTokenStartingWithT_TokenNotInToString()
    {
        const string token = "tok-SECRET-0123456789";

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(
            () => Read(Response(200, "application/json", "{\"access_token\":" + token + "}")));

        Assert.Contains("its body is not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BodyTooLarge_ThrowsWithoutLookingAtBody()
    {
        var response = new TokenHttpResponse(HttpStatusCode.OK, "application/json", null, [], BodyTooLarge: true);

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Read(response));

        Assert.Contains("but its body is larger than the 64 KiB a token response may have", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
    }

    [Fact]
    public void Read_BodyTooLargeOnErrorStatus_SaysTooLargeWithStatus()
    {
        var response = new TokenHttpResponse(HttpStatusCode.BadRequest, "application/json", null, [], BodyTooLarge: true);

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Read(response));

        Assert.Contains("answered HTTP 400 (BadRequest)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("larger than the 64 KiB", ex.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
    }

    [Theory]
    [InlineData(302, "https://user:pa55word@login.example.com:8443/capture?code=abc123&state=s#frag", "with a redirect to https://login.example.com:8443/capture, which is not followed")]
    [InlineData(307, "/relative/login?session=abc123", "with a redirect to /relative/login, which is not followed")]
    [InlineData(308, null, "with a redirect, which is not followed")]
    public void Read_Redirect_NotFollowedAndLocationRedacted(int status, string? location, string expected)
    {
        TokenHttpResponse response = Response(status, null, "", location is null ? null : new Uri(location, UriKind.RelativeOrAbsolute));

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Read(response));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.DoesNotContain("abc123", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("frag", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RedirectWithOAuth2ErrorBody_ErrorWins()
    {
        TokenHttpResponse response = Response(302, "application/json", "{\"error\":\"invalid_request\"}", new Uri("https://elsewhere.example.com/"));

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Read(response));

        Assert.Equal("invalid_request", ex.Error);
    }

    public static TheoryData<string, string?, string, int> TolerableVariations => new()
    {
        // scenario, Content-Type, body, lifetime in seconds
        { "lower-case bearer", "application/json", "{\"access_token\":\"t1\",\"token_type\":\"bearer\",\"expires_in\":3600}", 3600 },
        { "expires_in as string", "application/json", "{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":\"3600\"}", 3600 },
        { "expires_in with decimals", "application/json", "{\"access_token\":\"t1\",\"token_type\":\"BEARER\",\"expires_in\":3600.0}", 3600 },
        { "BOM and whitespace", "application/json", "\uFEFF \r\n\t{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":3600}", 3600 },
        { "JSON labelled text/html", "text/html", "{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":900}", 900 },
        { "JSON labelled text/plain", "text/plain", "{\"access_token\":\"t1\",\"expires_in\":\" 600 \"}", 600 },
        { "JSON without Content-Type", null, "{\"access_token\":\"t1\",\"expires_in\":60}", 60 },
        { "unknown nested JSON members", "application/json", "{\"access_token\":\"t1\",\"expires_in\":60,\"extra\":{\"nested\":[1,2]}}", 60 },
        { "no expires_in: default lifetime", "application/json", "{\"access_token\":\"t1\"}", 300 },
        { "CentraSite XML with namespace", "application/xml", "<Response\nxmlns=\"https://localhost/rest/pub.mediator.OAuth 2.0.getOAuth 2.0AccessToken\">\n<access_token>t1</access_token>\n<expires_in>3600</expires_in>\n<token_type>Bearer</token_type>\n</Response>", 3600 },
        { "XML labelled text/xml", "text/xml", "<Response><access_token>t1</access_token><expires_in>120</expires_in></Response>", 120 },
        { "XML without Content-Type", null, "<Response><access_token>t1</access_token><expires_in>120</expires_in></Response>", 120 },
        { "XML with a nested unknown element", "application/xml", "<r><access_token>t1</access_token><extra><x>1</x></extra></r>", 300 },
        { "XML with BOM and declaration", "application/xml", "\uFEFF<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Response><access_token>t1</access_token></Response>", 300 },
    };

    [Theory]
    [MemberData(nameof(TolerableVariations))]
    public void Read_TolerableVariation_Accepted(string scenario, string? contentType, string body, int lifetimeSeconds)
    {
        DateTimeOffset sentAt = DateTimeOffset.UtcNow;

        TokenResponse response = TokenResponseReader.Read(Response(200, contentType, body), SettingsForRfc6749, Errors(SettingsForRfc6749), sentAt);

        Assert.True(response.OAuth2Token.Value == "t1", scenario);
        Assert.Equal(sentAt.AddSeconds(lifetimeSeconds), response.OAuth2Token.ExpiresAt);
    }

    [Fact]
    public void Read_ServerAskedForXmlAnswersJsonError_ErrorRead()
    {
        ClientSettings settings = ConfidentialSettings(TokenEndpointProfile.CentraSite, o => o.ResponseFormat = TokenResponseFormat.Xml);

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(
            () => TokenResponseReader.Read(Response(401, "application/json", "{\"error\":\"invalid_client\",\"error_description\":\"bad credentials\"}"), settings, Errors(settings), DateTimeOffset.UtcNow));

        Assert.Equal("invalid_client", ex.Error);
        Assert.Equal("bad credentials", ex.ErrorDescription);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.StartsWith("The token endpoint https://idp.example.com/rest/pub.mediator.oauth2.getOAuth2AccessToken refused", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_XmlFormatWithoutContentType_ReadAsXml()
    {
        ClientSettings settings = ConfidentialSettings(TokenEndpointProfile.CentraSite, o => o.ResponseFormat = TokenResponseFormat.Xml);
        DateTimeOffset sentAt = DateTimeOffset.UtcNow;

        TokenResponse response = TokenResponseReader.Read(
            Response(200, "text/plain", "  <Response><access_token>t1</access_token><scope>svc</scope></Response>"), settings, Errors(settings), sentAt);

        Assert.Equal("t1", response.OAuth2Token.Value);
        Assert.Equal("svc", response.OAuth2Token.Scope);
        Assert.Equal(sentAt + TimeSpan.FromHours(1), response.OAuth2Token.ExpiresAt);
    }

    [Fact]
    public void Read_JsonFormatWithXmlLabel_ContentTypeWins()
    {
        ClientSettings settings = ConfidentialSettings(TokenEndpointProfile.PxPlus);

        TokenResponse response = TokenResponseReader.Read(
            Response(200, "application/xml", "<Response><access_token>t1</access_token></Response>"), settings, Errors(settings), DateTimeOffset.UtcNow);

        Assert.Equal("t1", response.OAuth2Token.Value);
    }

    [Fact]
    public void Read_JsonFormatUnlabelledXmlBody_ReadAsJsonAndRefused()
    {
        ClientSettings settings = ConfidentialSettings(TokenEndpointProfile.PxPlus);

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(
            () => TokenResponseReader.Read(Response(200, "text/plain", "<Response><access_token>t1</access_token></Response>"), settings, Errors(settings), DateTimeOffset.UtcNow));

        Assert.Contains("its body is not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ErrorStatusWithUnreadableBody_NoOAuth2ErrorCode()
    {
        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(() => Read(Response(400, "application/json", "{\"error\":")));

        Assert.EndsWith("answered HTTP 400 (BadRequest) with no OAuth2 error code in its body.", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.Error);
    }

    [Fact]
    public void Read_Success_RequestedScopeKeptWhenResponseHasNone()
    {
        ClientSettings settings = ConfidentialSettings(configure: o => o.Scope = "orders");

        TokenResponse response = TokenResponseReader.Read(Response(200, "application/json", "{\"access_token\":\"t1\",\"refresh_token\":\"rt-1\"}"), settings, Errors(settings), DateTimeOffset.UtcNow);

        Assert.Equal("orders", response.OAuth2Token.Scope);
        Assert.Equal("rt-1", response.RefreshToken);
    }

    private static TokenResponse Read(TokenHttpResponse response)
        => TokenResponseReader.Read(response, SettingsForRfc6749, Errors(SettingsForRfc6749), DateTimeOffset.UtcNow);
}
