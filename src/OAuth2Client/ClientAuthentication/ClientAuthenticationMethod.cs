using System.Net.Http.Headers;
using System.Text;
using OAuth2Client.Endpoint;
using OAuth2Client.Settings;

namespace OAuth2Client.ClientAuthentication;

/// <summary>
/// How a token request proves who the client is. Each method adds what it sends to the request (a header or body
/// fields) and declares every credential it sent, in every form, so that nothing a server echoes back can leak it.
/// Built once per client: the Basic header is computed once, not per request; a client assertion is made per attempt
/// elsewhere (it needs the clock and may need the app) and handed in.
/// </summary>
internal abstract class ClientAuthenticationMethod
{
    /// <summary>Whether <see cref="Apply"/> needs a fresh client assertion for every attempt.</summary>
    public virtual bool UsesAssertion => false;

    /// <summary>Adds the client's authentication to <paramref name="request"/>.</summary>
    /// <param name="request">The request being built.</param>
    /// <param name="clientAssertion">This attempt's signed assertion, for the methods that send one.</param>
    public abstract void Apply(TokenRequestFields request, string? clientAssertion);

    /// <summary>
    /// The method the settings ask for. Assertion and certificate methods send no secret; of the secret methods, a
    /// client without a secret is public and sends only its id.
    /// </summary>
    public static ClientAuthenticationMethod Create(ClientSettings settings) => settings.ClientAuthentication switch
    {
        ClientAuthenticationStyle.PrivateKeyJwt or ClientAuthenticationStyle.ClientSecretJwt => new ClientAssertionAuthentication(settings.ClientId),
        ClientAuthenticationStyle.TlsClientCertificate => new PublicClient(settings.ClientId),
        _ => settings.ClientSecret is not { } secret
            ? new PublicClient(settings.ClientId)
            : settings.ClientAuthentication switch
            {
                ClientAuthenticationStyle.BasicHeader => new BasicAuthentication(FormEncoding.Encode(settings.ClientId), FormEncoding.Encode(secret), secret),
                ClientAuthenticationStyle.BasicHeaderRaw => new BasicAuthentication(settings.ClientId, secret, secret),
                _ => new RequestBodyAuthentication(settings.ClientId, secret),
            },
    };

    /// <summary>
    /// <c>Authorization: Basic base64(id:secret)</c>: RFC 6749 §2.3.1 form-encodes id and secret first
    /// (<see cref="ClientAuthenticationStyle.BasicHeader"/>); the vendors' documents do not (<see cref="ClientAuthenticationStyle.BasicHeaderRaw"/>).
    /// </summary>
    private sealed class BasicAuthentication : ClientAuthenticationMethod
    {
        private readonly AuthenticationHeaderValue _header;
        private readonly string[] _credentials;

        public BasicAuthentication(string id, string secretAsSent, string secret)
        {
            string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(id + ":" + secretAsSent));
            _header = new AuthenticationHeaderValue("Basic", basic);
            _credentials = [basic, secret, secretAsSent, FormEncoding.Encode(secret)];
        }

        public override void Apply(TokenRequestFields request, string? clientAssertion)
        {
            request.Authorization = _header;
            request.AddCredentials(_credentials);
        }
    }

    /// <summary><c>client_id</c> and <c>client_secret</c> as body fields (RFC 6749 §2.3.1, "not recommended" but common).</summary>
    private sealed class RequestBodyAuthentication(string clientId, string secret) : ClientAuthenticationMethod
    {
        public override void Apply(TokenRequestFields request, string? clientAssertion)
        {
            request.AddIfMissing("client_id", clientId);
            request.AddIfMissing("client_secret", secret, isCredential: true);
        }
    }

    /// <summary>
    /// Only <c>client_id</c> in the body: a public client (RFC 6749 §2.1, as PKCE apps are), or a client that the TLS
    /// certificate of the connection authenticates (RFC 8705 §2: <c>tls_client_auth</c>, <c>self_signed_tls_client_auth</c>).
    /// </summary>
    private sealed class PublicClient(string clientId) : ClientAuthenticationMethod
    {
        public override void Apply(TokenRequestFields request, string? clientAssertion) => request.AddIfMissing("client_id", clientId);
    }

    /// <summary>
    /// A JWT client assertion (RFC 7523 §2.2; <c>private_key_jwt</c> and <c>client_secret_jwt</c>): the assertion type,
    /// the assertion (a credential), and <c>client_id</c> (optional in RFC 7521 §4.2, expected by many servers).
    /// </summary>
    private sealed class ClientAssertionAuthentication(string clientId) : ClientAuthenticationMethod
    {
        public override bool UsesAssertion => true;

        public override void Apply(TokenRequestFields request, string? clientAssertion)
        {
            ArgumentNullException.ThrowIfNull(clientAssertion);
            request.AddIfMissing("client_id", clientId);
            request.Add("client_assertion_type", ClientAssertionJwt.AssertionType);
            request.Add("client_assertion", clientAssertion, isCredential: true);
        }
    }
}
