using OAuth2Client.Endpoint;

namespace OAuth2Client.Grants;

/// <summary>
/// One way of asking the token endpoint for a token (RFC 6749 §4). A grant writes its own fields, <c>grant_type</c>
/// first; nothing outside a grant names a grant type. Client authentication, scope and the profile's encoding are
/// added by the request builder.
/// </summary>
internal interface ITokenGrant
{
    /// <summary>Whether a failed attempt may be sent again: <see langword="false"/> when the grant's inputs are single use.</summary>
    bool IsRetriable { get; }

    /// <summary>The grant type (<c>client_credentials</c>, …), for telemetry; what is sent is up to <see cref="AddFields"/>.</summary>
    string Name { get; }

    /// <summary>Adds the grant's fields, marking its credentials (codes, verifiers, refresh tokens) as such.</summary>
    void AddFields(TokenRequestFields request);
}
