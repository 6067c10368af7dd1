using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static OAuth2Client.Testing.Tests.Wire;

namespace OAuth2Client.Testing.Tests;

/// <summary><see cref="RecordedRequest"/>: raw values for assertions, credentials redacted when printed.</summary>
public sealed class RecordedRequestTests
{
    [Fact]
    public async Task RecordedRequest_ToString_RedactsBasicCredentialsAndFormSecrets()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(TokenEndpointBehavior.Rfc6749, "my-app", "s3cr3t-value");
        using var body = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "my-app", ["client_secret"] = "s3cr3t-value", ["scope"] = "orders",
        });
        using HttpResponseMessage response = await Http.PostAsync(server.TokenEndpoint, body);
        string token = (await ReadJsonAsync(response)).GetProperty("access_token").GetString()!;
        await CallApiAsync(server, token, "orders?access_token=" + token);

        string printed = server.LastTokenRequest!.ToString();
        string api = server.LastApiRequest!.ToString();

        Assert.Contains("client_secret=[redacted]", printed, StringComparison.Ordinal);
        Assert.Contains("scope=orders", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", printed, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer [redacted]", api, StringComparison.Ordinal);
        Assert.DoesNotContain(token, api, StringComparison.Ordinal);
        Assert.Equal("s3cr3t-value", System.Web.HttpUtility.ParseQueryString(server.LastTokenRequest.BodyText)["client_secret"]); // raw values stay available for assertions
    }

    [Fact]
    public async Task RecordedRequest_ToString_RedactsBasicHeaderAndJsonBodySecrets()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.CentraSite, "my-app", "s3cr3t-value");
        using (var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("my-app:s3cr3t-value")));
            request.Content = new StringContent("{\"client_secret\":\"s3cr3t-value\",\"scope\":\"x\"}", Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await Http.SendAsync(request);
        }

        string printed = server.LastTokenRequest!.ToString();

        Assert.StartsWith("POST /rest/pub.mediator.oauth2.getOAuth2AccessToken (Authorization: Basic [redacted];", printed, StringComparison.Ordinal);
        Assert.Contains("{\"client_secret\":\"[redacted]\",\"scope\":\"x\"}", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("my-app:s3cr3t-value")), printed, StringComparison.Ordinal);
    }
}
