using System.ComponentModel;
using OAuth2Client.Profiles;
using OAuth2Client.Settings;

namespace OAuth2Client;

/// <summary>
/// The dialect a token endpoint speaks: where it lives on a server, how the client authenticates, and the formats of
/// the request and response. A profile is data: start from a preset (<see cref="Rfc6749"/> or a vendor's) and change
/// any part with a <see langword="with"/> expression, or describe a server of your own.
/// </summary>
/// <example>
/// <code>
/// var profile = TokenEndpointProfile.CentraSite with { ResponseFormat = TokenResponseFormat.Xml };
/// </code>
/// </example>
[TypeConverter(typeof(TokenEndpointProfileConverter))]
public sealed partial record TokenEndpointProfile
{
    /// <summary>Placeholder in <see cref="TokenPath"/> replaced by <see cref="OAuth2ClientOptions.Schema"/>.</summary>
    public const string SchemaPlaceholder = "{schema}";

    /// <summary>Gets the profile's name, as used in configuration (<c>"Profile": "Ords"</c>).</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Gets the token endpoint's path relative to the server address (for example <c>services/oauth2/token.pxp</c>),
    /// which may contain <see cref="SchemaPlaceholder"/>; <see langword="null"/> when the server has no fixed path and
    /// <see cref="OAuth2ClientOptions.TokenEndpoint"/> must be given.
    /// </summary>
    public string? TokenPath { get; init; }

    /// <summary>Gets the authorization endpoint's path relative to the server address, for the authorization-code grant; <see langword="null"/> when unknown.</summary>
    public string? AuthorizePath { get; init; }

    /// <summary>Gets how the client authenticates to the token endpoint.</summary>
    /// <value>The default value is <see cref="ClientAuthenticationStyle.BasicHeader"/>.</value>
    public ClientAuthenticationStyle ClientAuthentication { get; init; } = ClientAuthenticationStyle.BasicHeader;

    /// <summary>Gets the format of the token request body.</summary>
    /// <value>The default value is <see cref="TokenRequestFormat.Form"/>.</value>
    public TokenRequestFormat RequestFormat { get; init; } = TokenRequestFormat.Form;

    /// <summary>Gets the format of the token response.</summary>
    /// <value>The default value is <see cref="TokenResponseFormat.Auto"/>.</value>
    public TokenResponseFormat ResponseFormat { get; init; } = TokenResponseFormat.Auto;

    /// <summary>Gets the lifetime assumed when a token response carries no <c>expires_in</c>.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan DefaultTokenLifetime { get; init; } = OAuth2Defaults.DefaultTokenLifetime;

    /// <summary>Gets whether the request body carries <c>grant_type</c>. Servers that infer the grant from the endpoint (CentraSite) do not document it.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SendGrantType { get; init; } = true;

    /// <summary>
    /// Gets whether the body carries <c>client_id</c> even when the client authenticates with a Basic header (the
    /// webMethods API Gateway document shows it so). With <see cref="ClientAuthenticationStyle.RequestBody"/> it is always sent.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool SendClientIdInBody { get; init; }

    /// <summary>Gets the name of the body field that carries the requested scope.</summary>
    /// <value>The default value is <c>scope</c>.</value>
    public string ScopeParameterName { get; init; } = "scope";

    /// <summary>
    /// Builds the token endpoint from a server's base address and this profile's <see cref="TokenPath"/>.
    /// </summary>
    /// <param name="serverAddress">The server's absolute base address, for example <c>https://erp.example.com</c> (a path, if any, is kept).</param>
    /// <param name="schema">The value for <see cref="SchemaPlaceholder"/> (Oracle ORDS: the schema's URL alias).</param>
    /// <returns>The absolute token endpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serverAddress"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="serverAddress"/> is relative, the profile has no token path, or the path needs a schema and none was given.</exception>
    public Uri BuildTokenEndpoint(Uri serverAddress, string? schema = null)
    {
        ArgumentNullException.ThrowIfNull(serverAddress);
        if (TokenPath is null)
        {
            throw new ArgumentException($"The '{Name}' profile has no token path: set the token endpoint explicitly.", nameof(serverAddress));
        }

        return Combine(serverAddress, TokenPath, schema, nameof(serverAddress));
    }

    /// <summary>
    /// Builds the authorization endpoint from a server's base address and this profile's <see cref="AuthorizePath"/>.
    /// </summary>
    /// <param name="serverAddress">The server's absolute base address.</param>
    /// <returns>The absolute authorization endpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serverAddress"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="serverAddress"/> is relative or the profile has no authorize path.</exception>
    public Uri BuildAuthorizeEndpoint(Uri serverAddress)
    {
        ArgumentNullException.ThrowIfNull(serverAddress);
        if (AuthorizePath is null)
        {
            throw new ArgumentException($"The '{Name}' profile has no authorize path: set the authorization endpoint explicitly.", nameof(serverAddress));
        }

        return Combine(serverAddress, AuthorizePath, schema: null, nameof(serverAddress));
    }

    /// <summary>Returns the profile's name.</summary>
    /// <returns><see cref="Name"/>.</returns>
    public override string ToString() => Name;

    private static Uri Combine(Uri serverAddress, string path, string? schema, string paramName)
    {
        if (!serverAddress.IsAbsoluteUri)
        {
            throw new ArgumentException("The server address must be an absolute URI such as https://server.example.com.", paramName);
        }

        if (path.Contains(SchemaPlaceholder, StringComparison.Ordinal))
        {
            if (string.IsNullOrWhiteSpace(schema))
            {
                throw new ArgumentException("This profile's token path needs a schema (OAuth2ClientOptions.Schema), for example 'hr' for /ords/hr/oauth/token.", nameof(schema));
            }

            path = path.Replace(SchemaPlaceholder, Uri.EscapeDataString(schema.Trim('/')), StringComparison.Ordinal);
        }

        string basePath = serverAddress.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(basePath + "/" + path.TrimStart('/'), UriKind.Absolute);
    }
}
