using System.Text;
using OAuth2Client.ClientAuthentication;
using OAuth2Client.Endpoint;
using OAuth2Client.Settings;
using static OAuth2Client.Tests.TestSupport.EndpointTestSupport;

namespace OAuth2Client.Tests.ClientAuthentication;

/// <summary>Each client authentication method: what it adds to a request, and which credentials it declares.</summary>
public sealed class ClientAuthenticationMethodTests
{
    [Fact]
    public void BasicHeader_FormEncodesIdAndSecretBeforeBase64_AndDeclaresEveryForm()
    {
        TokenRequestFields request = Apply(ClientAuthenticationStyle.BasicHeader);

        string expected = Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecretFormEncoded));
        Assert.Equal("Basic", request.Authorization!.Scheme);
        Assert.Equal(expected, request.Authorization.Parameter);
        Assert.Empty(request.Fields);
        Assert.Contains(expected, request.Credentials);
        Assert.Contains(ClientSecret, request.Credentials);
        Assert.Contains(ClientSecretFormEncoded, request.Credentials);
    }

    [Fact]
    public void BasicHeaderRaw_Base64OfIdColonSecretAsIs()
    {
        TokenRequestFields request = Apply(ClientAuthenticationStyle.BasicHeaderRaw);

        string expected = Convert.ToBase64String(Encoding.UTF8.GetBytes(ClientId + ":" + ClientSecret));
        Assert.Equal(expected, request.Authorization!.Parameter);
        Assert.Contains(expected, request.Credentials);
        Assert.Contains(ClientSecret, request.Credentials);
    }

    [Fact]
    public void RequestBody_ClientIdAndSecretAsFields_NoHeader()
    {
        TokenRequestFields request = Apply(ClientAuthenticationStyle.RequestBody);

        Assert.Null(request.Authorization);
        Assert.Equal([new("client_id", ClientId), new("client_secret", ClientSecret)], request.Fields);
        Assert.Contains(ClientSecret, request.Credentials);
        Assert.DoesNotContain(ClientId, request.Credentials);
    }

    [Fact]
    public void RequestBody_GrantAlreadySentClientId_NotRepeated()
    {
        ClientAuthenticationMethod method = ClientAuthenticationMethod.Create(Settings(ClientAuthenticationStyle.RequestBody));
        var request = new TokenRequestFields();
        request.Add("client_id", ClientId);

        method.Apply(request, null);

        Assert.Single(request.Fields, f => f.Key == "client_id");
    }

    [Theory]
    [InlineData(ClientAuthenticationStyle.BasicHeader)]
    [InlineData(ClientAuthenticationStyle.RequestBody)]
    public void PublicClient_NoSecret_OnlyClientIdInBody(ClientAuthenticationStyle style)
    {
        ClientSettings settings = ClientSettings.Create(Options(configure: o => { o.ClientSecret = null; o.ClientAuthentication = style; }), OAuth2ClientOptionsValidator.AuthorizationCode);
        var request = new TokenRequestFields();

        ClientAuthenticationMethod.Create(settings).Apply(request, null);

        Assert.Null(request.Authorization);
        Assert.Equal([new("client_id", ClientId)], request.Fields);
        Assert.Empty(request.Credentials);
    }

    private static TokenRequestFields Apply(ClientAuthenticationStyle style)
    {
        var request = new TokenRequestFields();
        ClientAuthenticationMethod.Create(Settings(style)).Apply(request, null);
        return request;
    }

    private static ClientSettings Settings(ClientAuthenticationStyle style)
        => ClientSettings.Create(Options(configure: o => o.ClientAuthentication = style), OAuth2ClientOptionsValidator.ClientCredentials);
}
