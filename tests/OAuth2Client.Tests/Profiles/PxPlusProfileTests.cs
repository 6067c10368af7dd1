using System.Net;
using System.Text;
using OAuth2Client.Testing;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Profiles;

/// <summary>PxPlus Web Services (seed 000): the strict fake accepts only what the PxPlus document shows.</summary>
public sealed class PxPlusProfileTests
{
    private static Task<Harness> StartAsync(Action<OAuth2ClientOptions>? configure = null)
        => Harness.StartVendorAsync(Vendors.PxPlus, TokenEndpointProfile.PxPlus, configure);

    [Fact]
    public async Task Query_HappyPath_SpeaksPxPlusWireFormatAndReturnsCsv()
    {
        await using Harness h = await StartAsync();

        byte[] csv = await h.Api.GetByteArrayAsync("service.pxp?id=myQuery");

        Assert.Equal(Vendors.PxPlusQueryCsv, csv);
        RecordedRequest token = Assert.Single(h.Server.TokenRequests);
        Assert.Equal("POST", token.Method);
        Assert.Equal("/services/oauth2/token.pxp", token.Path);
        Assert.Equal(Harness.RawBasicHeader, token.Authorization);
        Assert.Equal("grant_type=client_credentials", token.BodyText);
        Assert.Equal("application/x-www-form-urlencoded", token.ContentType);
        Assert.Equal("Bearer " + h.Server.IssuedTokens[0], h.Server.ApiRequests[0].Authorization);
    }

    [Theory]
    [InlineData("report", "application/pdf")]
    [InlineData("chart", "image/png")]
    public async Task BinaryServices_PassThroughUntouched(string id, string mediaType)
    {
        await using Harness h = await StartAsync();

        using HttpResponseMessage response = await h.Api.GetAsync($"service.pxp?id={id}");

        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(id == "report" ? Vendors.PxPlusReportPdf : Vendors.PxPlusChartPng, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TokenLifetime_IsPxPlusHour()
    {
        await using Harness h = await StartAsync();

        OAuth2Token token = await h.Provider.GetTokenAsync();

        Assert.Equal(h.Time.GetUtcNow().AddHours(1), token.ExpiresAt);
        Assert.Equal("Bearer", token.TokenType);
    }

    [Fact]
    public async Task WrongSecret_InvalidClientBecomesTypedException()
    {
        await using Harness h = await StartAsync(o => o.ClientSecret = "not-the-secret");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Api.GetAsync("service.pxp?id=myQuery"));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal("invalid_client", ex.Error);
        Assert.Null(ex.ErrorDescription);
        Assert.Equal(0, h.Server.ApiRequestCount);
    }

    [Fact]
    public async Task MissingGrantType_UnsupportedGrantTypeBecomesTypedException()
    {
        await using Harness h = await StartAsync(o => o.Profile = TokenEndpointProfile.PxPlus with { SendGrantType = false });

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.Equal("unsupported_grant_type", ex.Error);
    }

    [Fact]
    public async Task CredentialsInBody_RefusedByPxPlus()
    {
        await using Harness h = await StartAsync(o => o.ClientAuthentication = ClientAuthenticationStyle.RequestBody);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", ex.Error);
    }

    [Fact]
    public async Task ApiAnswers401Html_RenewsAndRetries()
    {
        await using Harness h = await StartAsync();
        await h.Api.GetByteArrayAsync("service.pxp?id=myQuery");
        h.Server.RevokeAllTokens();

        byte[] csv = await h.Api.GetByteArrayAsync("service.pxp?id=myQuery");

        Assert.Equal(Vendors.PxPlusQueryCsv, csv);
        Assert.Equal(2, h.Server.TokenRequestCount);
        Assert.Equal(3, h.Server.ApiRequestCount);
    }

    [Fact]
    public async Task Api404HtmlPage_ReturnedToCallerNotMistakenForTokenResponse()
    {
        await using Harness h = await StartAsync();

        using HttpResponseMessage response = await h.Api.GetAsync("service.pxp?id=noSuchQuery");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("<h1>404 Not Found</h1>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, h.Server.TokenRequestCount);
    }

    [Fact]
    public async Task Api401HtmlTwice_ReturnedAsIs()
    {
        await using Harness h = await StartAsync();
        h.Server.RejectAllApiCalls = true;

        using HttpResponseMessage response = await h.Api.GetAsync("service.pxp?id=myQuery");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("401 Unauthorized", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenEndpointAnswersHtml_TypedExceptionSaysSo()
    {
        await using Harness h = await StartAsync();
        h.Server.TokenReplyOverride = (_, _) => new TokenReply(200, "text/html", "<html><body>EZWeb login</body></html>");

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => h.Provider.GetTokenAsync().AsTask());

        Assert.Contains("HTML page", ex.Message, StringComparison.Ordinal);
    }
}
