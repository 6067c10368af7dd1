using System.Net;
using System.Text;
using OAuth2Client.Emulator;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Endpoint;

public sealed class TokenEndpointClientTests
{
    private const string IssuedLookalike = "tok-ABCDEF0123456789-secret-token-value";

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
        { "huge expires_in", 200, "application/json", "{\"access_token\":\"" + IssuedLookalike + "\",\"token_type\":\"Bearer\",\"expires_in\":99999999999999}", "more than a year" },
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

    [Theory]
    [MemberData(nameof(BadResponses))]
    public async Task RequestToken_BadResponse_ThrowsTypedExceptionThatSaysWhatWasWrong(string scenario, int status, string? contentType, string body, string expected)
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(status, contentType, body);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.True(ex.Message.Contains(expected, StringComparison.Ordinal), $"{scenario}: '{ex.Message}' should contain '{expected}'");
        Assert.Contains(h.Server.TokenEndpoint.GetLeftPart(UriPartial.Path), ex.Message, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.DoesNotContain(IssuedLookalike, ex.ToString(), StringComparison.Ordinal);
        h.AssertNoSecrets(ex.ToString());
        h.AssertNoSecrets(h.Logs.AllText());
    }

    [Fact]
    public async Task RequestToken_InvalidUtf8_ThrowsTypedException()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(200, "application/json", string.Empty)
        {
            BodyBytes = [.. "{\"access_token\":\"ab"u8, 0xC3, 0x28, .. "\",\"expires_in\":60}"u8],
        };

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains("not valid UTF-8 JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_RedirectAnswer_NotFollowedSoCredentialsStayPut()
    {
        await using Harness h = await Harness.StartAsync(configure: o => o.ClientAuthentication = ClientAuthenticationStyle.RequestBody);
        string elsewhere = new Uri(h.Server.BaseAddress, "/capture?x=1").AbsoluteUri;
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(307, null, string.Empty) { Headers = new Dictionary<string, string> { ["Location"] = elsewhere } };

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains($"with a redirect to {h.Server.BaseAddress}capture, which is not followed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Server.ApiRequestCount);
    }

    [Fact]
    public async Task RequestToken_ErrorDescriptionEchoesBasicHeader_Redacted()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (request, _) => TokenReply.Json(401, "{\"error\":\"invalid_client\",\"error_description\":\"rejected " + request.Authorization + "\"}");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("rejected Basic ***", ex.ErrorDescription);
        h.AssertNoSecrets(ex.ToString());
    }

    [Fact]
    public async Task RequestToken_OversizedResponse_RejectedWithoutReadingItAll()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => TokenReply.Json(200, "{\"access_token\":\"" + new string('a', 200_000) + "\"}");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains("larger than the 64 KiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestToken_ErrorDescriptionEchoesSecret_SecretRedacted()
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => TokenReply.Json(401, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret " + Harness.ClientSecret.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"}");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("bad secret ***", ex.ErrorDescription);
        h.AssertNoSecrets(ex.ToString());
    }

    [Theory]
    [InlineData("{\"access_token\":\"t1\",\"token_type\":\"bearer\",\"expires_in\":\"3600\"}", 3600)]
    [InlineData("{\"access_token\":\"t1\",\"token_type\":\"BEARER\",\"expires_in\":120.0}", 120)]
    [InlineData("{\"access_token\":\"t1\",\"expires_in\":60,\"extra\":{\"nested\":[1,2]}}", 60)]
    [InlineData("\uFEFF {\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"a b\"}", 3600)]
    [InlineData("{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":900}", 900, "text/html")]
    [InlineData("{\"access_token\":\"t1\",\"token_type\":\"Bearer\",\"expires_in\":\" 600 \"}", 600, "text/plain")]
    public async Task RequestToken_TolerableVariations_Accepted(string body, int lifetimeSeconds, string contentType = "application/json")
    {
        await using Harness h = await Harness.StartAsync();
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(200, contentType, body);

        AccessToken token = await h.Provider.GetTokenAsync();

        Assert.Equal("t1", token.Value);
        Assert.Equal(h.Time.GetUtcNow().AddSeconds(lifetimeSeconds), token.ExpiresAt);
    }

    [Fact]
    public async Task RequestToken_DefaultBasic_EncodesIdAndSecretPerRfc6749()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.BasicFormEncoded });

        await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("test-client:S3cr3t-p%40ss%3Aw%2Frd%2B%25%26%3D"));
        Assert.Equal(expected, request.Authorization);
        Assert.Equal("grant_type=client_credentials", request.BodyText);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
    }

    [Fact]
    public async Task RequestToken_RawBasic_SendsIdColonSecretUnencoded()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.BasicRaw },
            o => o.ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw);

        await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("test-client:S3cr3t-p@ss:w/rd+%&=")), request.Authorization);
    }

    [Fact]
    public async Task RequestToken_RawBasicAgainstRfcServer_RefusedWithInvalidClient()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.BasicFormEncoded },
            o => o.ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", ex.Error);
    }

    [Fact]
    public async Task RequestToken_CredentialsInFormBody_SentAsFieldsWithoutAuthorizationHeader()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.FormBody },
            o =>
            {
                o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
                o.Scope = "orders read";
                o.AdditionalParameters["audience"] = "https://api.example.com";
            });

        AccessToken token = await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Null(request.Authorization);
        Assert.Equal(
            "grant_type=client_credentials&client_id=test-client&client_secret=S3cr3t-p%40ss%3Aw%2Frd%2B%25%26%3D&scope=orders+read&audience=https%3A%2F%2Fapi.example.com",
            request.BodyText);
        Assert.Equal("orders read", token.Scope);
        Assert.Equal("orders read", h.Server.ScopeOf(token.Value));
    }

    [Fact]
    public async Task RequestToken_CredentialsInJsonBody_SentAsJsonObject()
    {
        await using Harness h = await Harness.StartAsync(
            TokenEndpointBehavior.Rfc6749 with { ClientAuth = AcceptedClientAuth.JsonBody, Body = RequiredBody.Json },
            o =>
            {
                o.ClientAuthentication = ClientAuthenticationStyle.RequestBody;
                o.RequestFormat = TokenRequestFormat.Json;
            });

        await h.Provider.GetTokenAsync();

        RecordedRequest request = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"grant_type\":\"client_credentials\",\"client_id\":\"test-client\",\"client_secret\":\"S3cr3t-p@ss:w/rd\\u002B%\\u0026=\"}", request.BodyText);
    }
}
