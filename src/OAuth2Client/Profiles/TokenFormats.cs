namespace OAuth2Client;

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
