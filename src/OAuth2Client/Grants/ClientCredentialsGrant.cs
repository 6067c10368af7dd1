using OAuth2Client.Endpoint;

namespace OAuth2Client.Grants;

/// <summary>
/// The client-credentials grant (RFC 6749 §4.4): <c>grant_type=client_credentials</c> and nothing else of its own.
/// Retriable: asking again is harmless. Some servers (CentraSite's Mediator) imply the grant and are sent no
/// <c>grant_type</c> at all.
/// </summary>
internal sealed class ClientCredentialsGrant(bool sendGrantType) : ITokenGrant
{
    public const string GrantType = "client_credentials";

    public string Name => GrantType;

    public bool IsRetriable => true;

    public void AddFields(TokenRequestFields request)
    {
        if (sendGrantType)
        {
            request.Add("grant_type", GrantType);
        }
    }
}
