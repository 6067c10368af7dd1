namespace OAuth2Client.Testing;

/// <summary>How an emulated server expects the client to authenticate.</summary>
[Flags]
public enum AcceptedClientAuth
{
    /// <summary>Authorization: Basic with RFC 6749 §2.3.1 form-encoded id and secret.</summary>
    BasicFormEncoded = 1,

    /// <summary>Authorization: Basic of the raw <c>id:secret</c>.</summary>
    BasicRaw = 2,

    /// <summary><c>client_id</c>/<c>client_secret</c> in a form body.</summary>
    FormBody = 4,

    /// <summary><c>client_id</c>/<c>client_secret</c> in a JSON body.</summary>
    JsonBody = 8,
}

/// <summary>The body format an emulated token endpoint insists on.</summary>
public enum RequiredBody
{
    /// <summary><c>application/x-www-form-urlencoded</c> only.</summary>
    Form,

    /// <summary><c>application/json</c> only.</summary>
    Json,

    /// <summary>Form, JSON, or no body at all.</summary>
    FormOrJson,
}

/// <summary>How an emulated server reports a failed token request.</summary>
public enum ErrorStyle
{
    /// <summary>RFC 6749 §5.2 JSON <c>{"error": ...}</c>.</summary>
    OAuthJson,

    /// <summary>A bare status code with an empty body (Oracle ORDS).</summary>
    BareStatus,
}

/// <summary>The format an emulated server answers token requests in.</summary>
public enum EmulatedResponseFormat
{
    /// <summary>JSON.</summary>
    Json,

    /// <summary>The CentraSite XML <c>&lt;Response&gt;</c> document.</summary>
    Xml,

    /// <summary>XML when the request's Accept header prefers XML, JSON otherwise.</summary>
    ByAccept,
}

/// <summary>The wire format of one vendor's token endpoint, as data.</summary>
public sealed record TokenEndpointBehavior
{
    /// <summary>Vendor name for reports.</summary>
    public required string Name { get; init; }

    /// <summary>Absolute path of the token endpoint, e.g. <c>/oauth2/token</c>.</summary>
    public required string TokenPath { get; init; }

    /// <summary>Accepted ways to present client credentials.</summary>
    public AcceptedClientAuth ClientAuth { get; init; } = AcceptedClientAuth.BasicFormEncoded | AcceptedClientAuth.BasicRaw | AcceptedClientAuth.FormBody;

    /// <summary>Whether <c>grant_type=client_credentials</c> is required.</summary>
    public bool RequireGrantType { get; init; } = true;

    /// <summary>The body format required, checked by exact <c>Content-Type</c> media type.</summary>
    public RequiredBody Body { get; init; } = RequiredBody.Form;

    /// <summary>Path prefix of the protected API, e.g. <c>/api/</c>.</summary>
    public string ApiPath { get; init; } = "/api/";

    /// <summary>Response format.</summary>
    public EmulatedResponseFormat ResponseFormat { get; init; } = EmulatedResponseFormat.Json;

    /// <summary>The token_type spelling.</summary>
    public string TokenType { get; init; } = "Bearer";

    /// <summary>Whether expires_in is written as a JSON string.</summary>
    public bool ExpiresInAsString { get; init; }

    /// <summary>Error style.</summary>
    public ErrorStyle Errors { get; init; } = ErrorStyle.OAuthJson;

    /// <summary>Scope granted when the client names none; <see langword="null"/> for none (echoes the requested scope otherwise).</summary>
    public string? DefaultScope { get; init; }

    /// <summary>Whether the granted scope is written into the response.</summary>
    public bool ReturnScope { get; init; }

    /// <summary>Whether OAuth2 error responses carry <c>error_description</c> (PxPlus sends only <c>error</c>).</summary>
    public bool ErrorDescriptions { get; init; } = true;

    /// <summary>Answers authorized API calls; <see langword="null"/> echoes method, path and body hash as JSON.</summary>
    public Func<Microsoft.AspNetCore.Http.HttpContext, RecordedRequest, Task>? Api { get; init; }

    /// <summary>Writes the body of the API's 401 answer; <see langword="null"/> for an empty body.</summary>
    public Func<Microsoft.AspNetCore.Http.HttpContext, Task>? Unauthorized { get; init; }

    /// <summary>Generic RFC 6749 server.</summary>
    public static TokenEndpointBehavior Rfc6749 { get; } = new() { Name = "RFC 6749", TokenPath = "/oauth2/token" };
}
