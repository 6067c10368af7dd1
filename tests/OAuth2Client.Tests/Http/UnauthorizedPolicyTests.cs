using System.Net;
using OAuth2Client.Http;

namespace OAuth2Client.Tests.Http;

/// <summary>Which 401s blame the token (RFC 6750 §3), decided from the response alone.</summary>
public sealed class UnauthorizedPolicyTests
{
    private static readonly Uri Api = new("https://api.example.com/orders");

    [Theory]
    [InlineData(null, true)] // no challenge at all: PxPlus's HTML 401
    [InlineData("Bearer", true)]
    [InlineData("Bearer realm=\"api\"", true)]
    [InlineData("Bearer error=\"invalid_token\"", true)]
    [InlineData("Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"", true)]
    [InlineData("bearer error=invalid_token", true)]
    [InlineData("Bearer error=\"insufficient_scope\", scope=\"orders:write\"", false)]
    [InlineData("Bearer error=\"invalid_request\"", false)]
    [InlineData("Bearer error_description=\"error=invalid_token\", error=\"insufficient_scope\"", false)]
    [InlineData("Basic realm=\"intranet\"", false)]
    [InlineData("Negotiate", false)]
    public void BlamesToken_ByChallenge(string? challenge, bool expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api);
        using HttpResponseMessage response = Unauthorized(challenge);

        bool blames = UnauthorizedPolicy.BlamesToken(request, Api, response, out string? whyNot);

        Assert.Equal(expected, blames);
        Assert.Equal(expected, whyNot is null);
    }

    [Fact]
    public void BlamesToken_BearerAmongOtherChallenges_BearerDecides()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api);
        using HttpResponseMessage response = Unauthorized("Basic realm=\"x\"");
        response.Headers.WwwAuthenticate.ParseAdd("Bearer error=\"invalid_token\"");

        Assert.True(UnauthorizedPolicy.BlamesToken(request, Api, response, out _));
    }

    [Fact]
    public void BlamesToken_UnreadableChallenge_NotBlamed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api);
        using HttpResponseMessage response = Unauthorized(null);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "\"unbalanced");

        Assert.False(UnauthorizedPolicy.BlamesToken(request, Api, response, out string? whyNot));
        Assert.Contains("could not be read", whyNot, StringComparison.Ordinal);
    }

    [Fact]
    public void BlamesToken_FromRedirectTarget_NotBlamed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("https://login.example.com/"));
        using HttpResponseMessage response = Unauthorized(null);

        Assert.False(UnauthorizedPolicy.BlamesToken(request, Api, response, out string? whyNot));
        Assert.Contains("redirect", whyNot, StringComparison.Ordinal);
    }

    [Fact]
    public void BlamesToken_Not401_FalseWithoutReason()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api);
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden);

        Assert.False(UnauthorizedPolicy.BlamesToken(request, Api, response, out string? whyNot));
        Assert.Null(whyNot);
    }

    [Theory]
    [InlineData("realm=\"a,b\", error=\"invalid_token\"", "error", "invalid_token")]
    [InlineData("realm=\"a\\\"b\"", "realm", "a\"b")]
    [InlineData("error = invalid_token", "error", "invalid_token")]
    [InlineData("abc123==", "error", null)]
    [InlineData("", "error", null)]
    public void ReadParameter_ParsesAuthParams(string parameters, string name, string? expected)
        => Assert.Equal(expected, UnauthorizedPolicy.ReadParameter(parameters, name));

    private static HttpResponseMessage Unauthorized(string? challenge)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        if (challenge is not null)
        {
            response.Headers.WwwAuthenticate.ParseAdd(challenge);
        }

        return response;
    }
}
