using System.Net.Http.Headers;
using System.Text;
using OAuth2Client.Endpoint;
using OAuth2Client.Settings;

namespace OAuth2Client.ClientAuthentication;

/// <summary>
/// How a token request proves who the client is. Each method adds what it sends to the request (a header or body
/// fields) and declares every credential it sent, in every form, so that nothing a server echoes back can leak it.
/// Built once per client: the Basic header is computed once, not per request.
/// </summary>
internal abstract class ClientAuthenticationMethod
{
    /// <summary>Adds the client's authentication to <paramref name="request"/>.</summary>
    public abstract void Apply(TokenRequestFields request);

    /// <summary>The method the settings ask for; a client without a secret is public and sends only its id.</summary>
    public static ClientAuthenticationMethod Create(ClientSettings settings) => settings.ClientSecret is not { } secret
        ? new PublicClient(settings.ClientId)
        : settings.ClientAuthentication switch
        {
            ClientAuthenticationStyle.BasicHeader => new BasicAuthentication(FormEncoding.Encode(settings.ClientId), FormEncoding.Encode(secret), secret),
            ClientAuthenticationStyle.BasicHeaderRaw => new BasicAuthentication(settings.ClientId, secret, secret),
            _ => new RequestBodyAuthentication(settings.ClientId, secret),
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

        public override void Apply(TokenRequestFields request)
        {
            request.Authorization = _header;
            request.AddCredentials(_credentials);
        }
    }

    /// <summary><c>client_id</c> and <c>client_secret</c> as body fields (RFC 6749 §2.3.1, "not recommended" but common).</summary>
    private sealed class RequestBodyAuthentication(string clientId, string secret) : ClientAuthenticationMethod
    {
        public override void Apply(TokenRequestFields request)
        {
            request.AddIfMissing("client_id", clientId);
            request.AddIfMissing("client_secret", secret, isCredential: true);
        }
    }

    /// <summary>A public client (RFC 6749 §2.1): no secret, only <c>client_id</c> in the body, as PKCE apps do.</summary>
    private sealed class PublicClient(string clientId) : ClientAuthenticationMethod
    {
        public override void Apply(TokenRequestFields request) => request.AddIfMissing("client_id", clientId);
    }
}
