using System.Diagnostics.CodeAnalysis;

namespace OAuth2Client;

public sealed partial record TokenEndpointProfile
{
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);

    /// <summary>
    /// A generic RFC 6749 token endpoint (the default): Basic client authentication with RFC 6749 §2.3.1 encoding,
    /// a form body with <c>grant_type</c>, a JSON (or XML) response. It has no fixed path: set <see cref="OAuth2ClientOptions.TokenEndpoint"/>.
    /// Client authentication: every <see cref="ClientAuthenticationStyle"/> the server has registered the client for,
    /// including <c>private_key_jwt</c>, <c>client_secret_jwt</c> and mutual TLS.
    /// </summary>
    public static TokenEndpointProfile Rfc6749 { get; } = new() { Name = "Rfc6749" };

    /// <summary>
    /// PxPlus Web Services (2021+): <c>POST {server}/services/oauth2/token.pxp</c> with <c>Authorization: Basic base64(id:secret)</c>
    /// and the form body <c>grant_type=client_credentials</c>; a JSON response; tokens live one hour.
    /// Client authentication: the vendor documents HTTP Basic only; other styles can be sent (form body) if the server takes them.
    /// </summary>
    public static TokenEndpointProfile PxPlus { get; } = new()
    {
        Name = "PxPlus",
        TokenPath = "services/oauth2/token.pxp",
        ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw,
        ResponseFormat = TokenResponseFormat.Json,
        DefaultTokenLifetime = OneHour,
    };

    /// <summary>
    /// Software AG CentraSite / webMethods Mediator, REST service <c>pub.mediator.oauth2.getOAuth2AccessToken</c> at
    /// <c>{server}/rest/pub.mediator.oauth2.getOAuth2AccessToken</c>: credentials in a Basic header (the documented
    /// recommendation; switch to <see cref="ClientAuthenticationStyle.RequestBody"/> with <see cref="TokenRequestFormat.Json"/>
    /// or <see cref="TokenRequestFormat.Form"/> for the other two documented styles), the optional scope (a virtual service
    /// name) in the body, no <c>grant_type</c>, and a JSON or XML response.
    /// Client authentication: the vendor documents Basic and body credentials only; client assertions need a form body.
    /// </summary>
    public static TokenEndpointProfile CentraSite { get; } = new()
    {
        Name = "CentraSite",
        TokenPath = "rest/pub.mediator.oauth2.getOAuth2AccessToken",
        ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw,
        ResponseFormat = TokenResponseFormat.Auto,
        SendGrantType = false,
        DefaultTokenLifetime = OneHour,
    };

    /// <summary>
    /// Oracle REST Data Services / APEX: <c>POST {server}/ords/{schema}/oauth/token</c> with Basic client authentication,
    /// <c>Content-Type: application/x-www-form-urlencoded</c> and <c>grant_type=client_credentials</c>; a JSON response with
    /// <c>token_type: "bearer"</c>. Set <see cref="OAuth2ClientOptions.Schema"/> to the schema's URL alias.
    /// Client authentication: the vendor documents HTTP Basic only; other styles can be sent if the server takes them.
    /// </summary>
    public static TokenEndpointProfile Ords { get; } = new()
    {
        Name = "Ords",
        TokenPath = "ords/" + SchemaPlaceholder + "/oauth/token",
        ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw,
        ResponseFormat = TokenResponseFormat.Json,
        DefaultTokenLifetime = OneHour,
    };

    /// <summary>
    /// webMethods API Gateway: <c>POST {server}/invoke/pub.apigateway.oauth2/getAccessToken</c> with Basic client
    /// authentication and a JSON body that also names <c>client_id</c>, as the gateway's document shows; the authorization endpoint (for authorization code + PKCE) is
    /// <c>{server}/invoke/pub.apigateway.oauth2/authorize</c>.
    /// Client authentication: the vendor documents HTTP Basic only; client assertions (<see cref="ClientAuthenticationStyle.PrivateKeyJwt"/>,
    /// <see cref="ClientAuthenticationStyle.ClientSecretJwt"/>) are refused by validation, because they are form parameters and this profile sends JSON.
    /// </summary>
    public static TokenEndpointProfile WebMethodsApiGateway { get; } = new()
    {
        Name = "WebMethodsApiGateway",
        TokenPath = "invoke/pub.apigateway.oauth2/getAccessToken",
        AuthorizePath = "invoke/pub.apigateway.oauth2/authorize",
        ClientAuthentication = ClientAuthenticationStyle.BasicHeaderRaw,
        RequestFormat = TokenRequestFormat.Json,
        ResponseFormat = TokenResponseFormat.Json,
        SendClientIdInBody = true,
        DefaultTokenLifetime = OneHour,
    };

    private static readonly TokenEndpointProfile[] Presets = [Rfc6749, PxPlus, CentraSite, Ords, WebMethodsApiGateway];

    /// <summary>Gets the names of the built-in profiles, as accepted in configuration.</summary>
    public static IReadOnlyList<string> PresetNames { get; } = Array.ConvertAll(Presets, p => p.Name);

    /// <summary>Whether this profile came from an unknown name in configuration (never valid).</summary>
    internal bool IsUnresolved { get; private init; }

    internal static TokenEndpointProfile Unresolved(string name) => new() { Name = name, IsUnresolved = true };

    /// <summary>Finds a built-in profile by name, ignoring case.</summary>
    /// <param name="name">A name from <see cref="PresetNames"/>.</param>
    /// <param name="profile">The profile, when found.</param>
    /// <returns><see langword="true"/> when a profile of that name exists.</returns>
    public static bool TryGetPreset(string? name, [NotNullWhen(true)] out TokenEndpointProfile? profile)
    {
        profile = Array.Find(Presets, p => string.Equals(p.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
        return profile is not null;
    }
}
