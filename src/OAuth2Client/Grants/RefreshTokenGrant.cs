using OAuth2Client.Endpoint;

namespace OAuth2Client.Grants;

/// <summary>
/// The refresh-token grant (RFC 6749 §6). Never retried: if a rotated answer was lost, a second try would present a
/// refresh token the server has already retired.
/// </summary>
internal sealed class RefreshTokenGrant(string refreshToken, string clientId) : ITokenGrant
{
    public const string GrantType = "refresh_token";

    public string Name => GrantType;

    public bool IsRetriable => false;

    public void AddFields(TokenRequestFields request)
    {
        request.Add("grant_type", GrantType);
        request.Add("refresh_token", refreshToken, isCredential: true);
        request.Add("client_id", clientId);
    }

    public override string ToString() => "RefreshTokenGrant { (refresh token redacted) }";
}
