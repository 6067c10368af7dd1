using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using OAuth2Client.Endpoint;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.ClientAuthentication;

/// <summary>
/// RFC 8705 mTLS client authentication against a loopback HTTPS Kestrel that requires a client certificate from a test
/// CA made in the test (no private key is checked in) and accepts only the registered one.
/// </summary>
public sealed class TlsClientCertificateTests : IDisposable
{
    private readonly X509Certificate2 _authority = TestCertificates.CreateAuthority();
    private readonly X509Certificate2 _serverCertificate;
    private readonly X509Certificate2 _clientCertificate;

    public TlsClientCertificateTests()
    {
        _serverCertificate = TestCertificates.Issue(_authority, "CN=localhost", server: true);
        _clientCertificate = TestCertificates.Issue(_authority, "CN=" + Harness.ClientId, server: false);
    }

    [Fact]
    public async Task GetTokenAsync_AppHttpClientPresentsCertificate_TokenWithClientIdAndNoSecret()
    {
        await using VerifyingTokenServer server = await StartServerAsync();
        using var backchannel = new HttpClient(TrustingHandler(_clientCertificate));
        using var provider = new ClientCredentialsTokenProvider(Options(server), backchannel);

        OAuth2Token token = await provider.GetTokenAsync();

        VerifyingTokenServer.Received request = Assert.Single(server.Requests);
        Assert.Equal(200, request.Status);
        Assert.Equal("at-1-default", token.Value);
        Assert.Equal(TestCertificates.Sha256Hex(_clientCertificate), request.ClientCertificateThumbprint);
        Assert.Null(request.Authorization);
        Assert.Equal(["grant_type", "client_id"], request.Form.Keys);
        Assert.Equal(Harness.ClientId, request.Form["client_id"]);
    }

    [Fact]
    public async Task GetTokenAsync_OtherCertificateFromSameCa_RefusedWithInvalidClient()
    {
        using X509Certificate2 other = TestCertificates.Issue(_authority, "CN=someone-else", server: false);
        await using VerifyingTokenServer server = await StartServerAsync();
        using var backchannel = new HttpClient(TrustingHandler(other));
        using var provider = new ClientCredentialsTokenProvider(Options(server), backchannel);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());

        Assert.Equal("invalid_client", ex.Error);
    }

    [Fact]
    public async Task GetTokenAsync_NoCertificate_HandshakeRefusedTypedError()
    {
        await using VerifyingTokenServer server = await StartServerAsync();
        using var backchannel = new HttpClient(TrustingHandler(null));
        using var provider = new ClientCredentialsTokenProvider(Options(server), backchannel);

        OAuth2TokenException ex = await Assert.ThrowsAsync<OAuth2TokenException>(() => provider.GetTokenAsync().AsTask());

        Assert.Null(ex.StatusCode);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task DependencyInjection_ClientCertificateOption_PresentedOnTokenEndpointClient()
    {
        await using VerifyingTokenServer server = await StartServerAsync();
        var services = new ServiceCollection();
        services.AddOAuth2ClientCredentials("api", o =>
        {
            o.TokenEndpoint = server.TokenEndpoint;
            o.ClientId = Harness.ClientId;
            o.ClientAuthentication = ClientAuthenticationStyle.TlsClientCertificate;
            o.ClientCertificate = _clientCertificate;
        });

        // Only the test's trust of its own CA is added by hand; the certificate comes from the option.
        services.AddHttpClient(OAuth2HttpClientNames.ForTokenEndpoint("api")).ConfigurePrimaryHttpMessageHandler((handler, _) =>
        {
            switch (handler)
            {
                case SocketsHttpHandler sockets:
                    sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => TestCertificates.Trust(_authority)(null!, certificate as X509Certificate2, null, default);
                    break;
                case HttpClientHandler client:
                    client.ServerCertificateCustomValidationCallback = TestCertificates.Trust(_authority);
                    break;
            }
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        OAuth2Token token = await provider.GetRequiredKeyedService<IOAuth2TokenProvider>("api").GetTokenAsync();

        Assert.Equal("at-1-default", token.Value);
        Assert.Equal(TestCertificates.Sha256Hex(_clientCertificate), Assert.Single(server.Requests).ClientCertificateThumbprint);
    }

    [Fact]
    public void CreateDefault_ClientCertificate_OnTheProvidersOwnHandler()
    {
#if NETSTANDARD_BUILD_UNDER_TEST // The netstandard2.0 build has no SocketsHttpHandler: an HttpClientHandler.
        using HttpClientHandler handler = TokenEndpointHttpClient.CreateHandler(_clientCertificate);
        using HttpClientHandler none = TokenEndpointHttpClient.CreateHandler(null);

        Assert.Same(_clientCertificate, Assert.Single(handler.ClientCertificates.Cast<X509Certificate>()));
        Assert.Equal(ClientCertificateOption.Manual, handler.ClientCertificateOptions);
        Assert.False(handler.AllowAutoRedirect);
        Assert.Empty(none.ClientCertificates);
#else
        using SocketsHttpHandler handler = TokenEndpointHttpClient.CreateHandler(_clientCertificate);
        using SocketsHttpHandler none = TokenEndpointHttpClient.CreateHandler(null);

        Assert.Same(_clientCertificate, Assert.Single(handler.SslOptions.ClientCertificates!.Cast<X509Certificate>()));
        Assert.False(handler.AllowAutoRedirect);
        Assert.Null(none.SslOptions.ClientCertificates);
#endif
    }

    [Fact]
    public void Validate_ClientCertificateWithoutPrivateKey_Refused()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(_clientCertificate.RawData);
        var options = new OAuth2ClientOptions { TokenEndpoint = new Uri("https://idp.example.com/token"), ClientId = "app", ClientAuthentication = ClientAuthenticationStyle.TlsClientCertificate, ClientCertificate = publicOnly };

        Assert.Contains("has no private key", Assert.Single(OAuth2ClientOptionsValidator.ClientCredentials.Validate(options)), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _clientCertificate.Dispose();
        _serverCertificate.Dispose();
        _authority.Dispose();
    }

    private Task<VerifyingTokenServer> StartServerAsync() => VerifyingTokenServer.StartAsync(new()
    {
        ServerCertificate = _serverCertificate,
        ClientCertificateAuthority = _authority,
        ClientCertificateThumbprint = TestCertificates.Sha256Hex(_clientCertificate),
    });

    private static OAuth2ClientOptions Options(VerifyingTokenServer server) => new()
    {
        TokenEndpoint = server.TokenEndpoint,
        ClientId = Harness.ClientId,
        ClientAuthentication = ClientAuthenticationStyle.TlsClientCertificate,
        MaxTokenRequestRetries = 0,
    };

#if NETSTANDARD_BUILD_UNDER_TEST
    private HttpClientHandler TrustingHandler(X509Certificate2? clientCertificate)
    {
        HttpClientHandler handler = TokenEndpointHttpClient.CreateHandler(clientCertificate);
        handler.ServerCertificateCustomValidationCallback = TestCertificates.Trust(_authority);
        return handler;
    }
#else
    private SocketsHttpHandler TrustingHandler(X509Certificate2? clientCertificate)
    {
        SocketsHttpHandler handler = TokenEndpointHttpClient.CreateHandler(clientCertificate);
        Func<HttpRequestMessage, X509Certificate2?, X509Chain?, System.Net.Security.SslPolicyErrors, bool> trust = TestCertificates.Trust(_authority);
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => trust(null!, certificate as X509Certificate2, null, default);
        return handler;
    }
#endif
}
