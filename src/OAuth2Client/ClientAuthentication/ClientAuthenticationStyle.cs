namespace OAuth2Client;

/// <summary>
/// How the client proves its identity (client id and secret) to the token endpoint.
/// </summary>
public enum ClientAuthenticationStyle
{
    /// <summary>
    /// An <c>Authorization: Basic</c> header whose client id and secret are each
    /// <c>application/x-www-form-urlencoded</c> before Base64, as RFC 6749 §2.3.1 requires.
    /// Identical to <see cref="BasicHeaderRaw"/> for ids and secrets made of letters, digits and <c>-._~</c>.
    /// </summary>
    BasicHeader = 0,

    /// <summary>
    /// An <c>Authorization: Basic</c> header of Base64(<c>id:secret</c>) with no form-encoding first,
    /// as the PxPlus, Oracle ORDS and webMethods documents (and <c>curl -u</c>) show.
    /// </summary>
    BasicHeaderRaw = 1,

    /// <summary>
    /// <c>client_id</c> and <c>client_secret</c> sent as fields of the request body
    /// (form or JSON, see <see cref="TokenRequestFormat"/>). A client without a secret sends only <c>client_id</c>.
    /// </summary>
    RequestBody = 2,
}
