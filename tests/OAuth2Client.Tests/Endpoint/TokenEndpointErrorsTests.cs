using System.Net;
using OAuth2Client.Endpoint;
using OAuth2Client.Endpoint.Responses;
using OAuth2Client.Grants;
using OAuth2Client.Settings;
using static OAuth2Client.Tests.TestSupport.EndpointTestSupport;

namespace OAuth2Client.Tests.Endpoint;

/// <summary>A server that echoes what it was sent: every credential of the request is removed from what it says.</summary>
public sealed class TokenEndpointErrorsTests
{
    private static readonly ClientSettings BodySettings = ConfidentialSettings(configure: o => o.ClientAuthentication = ClientAuthenticationStyle.RequestBody);

    public static TheoryData<string, string> Echoes => new()
    {
        // grant, echoed credential
        { "client_credentials", ClientSecret },
        { "client_credentials", ClientSecretFormEncoded },
        { "authorization_code", Code },
        { "authorization_code", CodeFormEncoded },
        { "authorization_code", CodeVerifier },
        { "refresh_token", RefreshToken },
        { "refresh_token", RefreshTokenFormEncoded },
    };

    [Theory]
    [MemberData(nameof(Echoes))]
    public void Refused_DescriptionEchoesCredential_RemovedFromMessageDescriptionAndToString(string grant, string echoed)
    {
        TokenRequest request = BuildRequest(BodySettings, grant);
        TokenEndpointErrors errors = Errors(BodySettings, request.Credentials);

        OAuth2TokenException ex = errors.Refused(HttpStatusCode.BadRequest, "invalid_grant", $"the value {echoed} is not valid", "https://docs.example.com/?v=" + echoed);

        Assert.Equal("the value *** is not valid", ex.ErrorDescription);
        Assert.Equal("https://docs.example.com/?v=***", ex.ErrorUri);
        Assert.Equal("invalid_grant", ex.Error);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal($"The token endpoint {BodySettings.RedactedTokenEndpoint} refused the token request: HTTP 400 (BadRequest), error 'invalid_grant': the value *** is not valid", ex.Message);
        Assert.DoesNotContain(echoed, ex.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Echoes))]
    public void Read_ServerEchoesCredentialInJsonErrorDescription_RemovedEverywhere(string grant, string echoed)
    {
        TokenRequest request = BuildRequest(BodySettings, grant);
        string json = "{\"error\":\"invalid_request\",\"error_description\":\"got " + echoed.Replace("\"", "\\\"", StringComparison.Ordinal) + " and " + echoed + "\"}";

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(
            () => TokenResponseReader.Read(Response(400, "application/json", json), BodySettings, Errors(BodySettings, request.Credentials), DateTimeOffset.UtcNow));

        Assert.Equal("got *** and ***", ex.ErrorDescription);
        Assert.DoesNotContain(echoed, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(echoed, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ServerEchoesBasicHeaderInXmlError_Removed()
    {
        ClientSettings settings = ConfidentialSettings(TokenEndpointProfile.CentraSite);
        TokenRequest request = new TokenRequestBuilder(settings).Build(new ClientCredentialsGrant(settings.SendGrantType));
        string header = request.Authorization!.ToString();

        OAuth2TokenException ex = Assert.Throws<OAuth2TokenException>(
            () => TokenResponseReader.Read(
                Response(401, "application/xml", $"<Response><error>invalid_client</error><error_description>rejected {header}</error_description></Response>"),
                settings,
                Errors(settings, request.Credentials),
                DateTimeOffset.UtcNow));

        Assert.Equal("rejected Basic ***", ex.ErrorDescription);
        Assert.DoesNotContain(request.Authorization.Parameter!, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_ErrorCodeEchoesSecretWithLineBreak_RemovedAndEscaped()
    {
        TokenRequest request = BuildRequest(BodySettings, "client_credentials");
        TokenEndpointErrors errors = Errors(BodySettings, request.Credentials);

        OAuth2TokenException ex = errors.Refused(HttpStatusCode.Unauthorized, "invalid_client\n" + ClientSecret, "line1\r\nline2", errorUri: null);

        Assert.Equal("invalid_client\\u000a***", ex.Error);
        Assert.Equal("line1\\u000d\\u000aline2", ex.ErrorDescription);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain(ClientSecret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refused_NoDescription_MessageEndsWithErrorCode()
    {
        OAuth2TokenException ex = Errors(BodySettings).Refused(HttpStatusCode.BadRequest, "invalid_scope", null, null);

        Assert.EndsWith("error 'invalid_scope'.", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.ErrorDescription);
        Assert.Null(ex.ErrorUri);
    }

    [Fact]
    public void Invalid_SuccessAndFailureStatus_MessageShapesAndSafeEndpoint()
    {
        TokenEndpointErrors errors = Errors(BodySettings);

        OAuth2TokenException success = errors.Invalid(HttpStatusCode.OK, "it has no access_token");
        OAuth2TokenException failure = errors.Invalid(HttpStatusCode.BadGateway, "with an empty body");

        Assert.Equal("The token endpoint https://idp.example.com/oauth2/token answered HTTP 200 (OK) but it has no access_token.", success.Message);
        Assert.Equal("The token endpoint https://idp.example.com/oauth2/token answered HTTP 502 (BadGateway) with an empty body.", failure.Message);
        Assert.Equal(new Uri("https://idp.example.com/oauth2/token"), success.TokenEndpoint);
        Assert.Equal(HttpStatusCode.BadGateway, failure.StatusCode);
    }

    [Fact]
    public void Unanswered_NoStatus_EndpointRedacted()
    {
        var inner = new HttpRequestException("connection refused");

        OAuth2TokenException ex = Errors(BodySettings).Unanswered("could not be reached (connection refused)", inner);

        Assert.Equal("The token endpoint https://idp.example.com/oauth2/token could not be reached (connection refused).", ex.Message);
        Assert.Null(ex.StatusCode);
        Assert.Same(inner, ex.InnerException);
    }

    private static TokenRequest BuildRequest(ClientSettings settings, string grant) => new TokenRequestBuilder(settings).Build(grant switch
    {
        "client_credentials" => new ClientCredentialsGrant(sendGrantType: true),
        "authorization_code" => new AuthorizationCodeGrant(Code, RedirectUri, CodeVerifier, ClientId),
        _ => new RefreshTokenGrant(RefreshToken, ClientId),
    });
}
