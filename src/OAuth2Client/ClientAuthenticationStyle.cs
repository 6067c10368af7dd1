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

/// <summary>
/// The format of the body POSTed to the token endpoint.
/// </summary>
public enum TokenRequestFormat
{
    /// <summary><c>application/x-www-form-urlencoded</c>, UTF-8 (RFC 6749).</summary>
    Form = 0,

    /// <summary><c>application/json</c>: a flat JSON object of string fields (webMethods API Gateway, CentraSite).</summary>
    Json = 1,
}

/// <summary>
/// The format the token endpoint answers in. It sets the <c>Accept</c> header and decides how to read a response whose
/// <c>Content-Type</c> names neither JSON nor XML; a <c>Content-Type</c> that names one of them always wins.
/// </summary>
public enum TokenResponseFormat
{
    /// <summary>
    /// Decided by the response's <c>Content-Type</c> (<c>…json</c> or <c>…xml</c>); without a usable
    /// <c>Content-Type</c>, by the first character of the body.
    /// </summary>
    Auto = 0,

    /// <summary>A JSON object (RFC 6749 §5.1).</summary>
    Json = 1,

    /// <summary>
    /// An XML document whose root holds <c>access_token</c>, <c>token_type</c>, <c>expires_in</c> and optional
    /// <c>scope</c> elements, in any namespace (CentraSite / webMethods Mediator). DTDs are prohibited.
    /// </summary>
    Xml = 2,
}
