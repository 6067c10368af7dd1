using OAuth2Client.Endpoint;

namespace OAuth2Client.Grants;

/// <summary>
/// The code exchange of the authorization-code grant with PKCE (RFC 6749 §4.1.3, RFC 7636 §4.5). Never retried: a
/// code is single use, and a server may revoke everything issued for a code presented twice.
/// </summary>
internal sealed class AuthorizationCodeGrant(string code, Uri redirectUri, string codeVerifier, string clientId) : ITokenGrant
{
    public const string GrantType = "authorization_code";

    public string Name => GrantType;

    public bool IsRetriable => false;

    public void AddFields(TokenRequestFields request)
    {
        request.Add("grant_type", GrantType);
        request.Add("code", code, isCredential: true);
        request.Add("redirect_uri", redirectUri.OriginalString);
        request.Add("code_verifier", codeVerifier, isCredential: true);
        request.Add("client_id", clientId);
    }

    public override string ToString() => "AuthorizationCodeGrant { (code and verifier redacted) }";
}
