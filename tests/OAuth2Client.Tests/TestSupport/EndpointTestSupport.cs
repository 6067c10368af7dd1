using System.Net;
using System.Text;
using OAuth2Client.Diagnostics;
using OAuth2Client.Endpoint;
using OAuth2Client.Settings;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>Settings, grants' inputs and responses for the server-less unit tests of the request path.</summary>
internal static class EndpointTestSupport
{
    public const string ClientId = "my-app";

    /// <summary>A secret with every character that form-encoding and JSON escaping change.</summary>
    public const string ClientSecret = "S3cr3t-p@ss:w/rd+%&=";

    /// <summary><see cref="ClientSecret"/> form-encoded.</summary>
    public const string ClientSecretFormEncoded = "S3cr3t-p%40ss%3Aw%2Frd%2B%25%26%3D";

    public const string Code = "c0de/with+plus=";

    public const string CodeFormEncoded = "c0de%2Fwith%2Bplus%3D";

    public const string CodeVerifier = "verifier-abc_DEF.123~xyz0123456789abcdefghij";

    public const string RefreshToken = "rt/refresh+token=1";

    public const string RefreshTokenFormEncoded = "rt%2Frefresh%2Btoken%3D1";

    public static readonly Uri ServerAddress = new("https://idp.example.com");

    /// <summary>The explicit endpoint for profiles without a path; its query must never appear in clear.</summary>
    public static readonly Uri Rfc6749Endpoint = new("https://idp.example.com/oauth2/token?tenant=acme-query");

    public static readonly Uri RedirectUri = new("http://127.0.0.1:8400/callback");

    public static OAuth2ClientOptions Options(TokenEndpointProfile? profile = null, Action<OAuth2ClientOptions>? configure = null)
    {
        profile ??= TokenEndpointProfile.Rfc6749;
        var options = new OAuth2ClientOptions
        {
            Profile = profile,
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            AuthorizationEndpoint = new Uri("https://idp.example.com/oauth2/authorize"),
        };
        if (profile.TokenPath is null)
        {
            options.TokenEndpoint = Rfc6749Endpoint;
        }
        else
        {
            options.ServerAddress = ServerAddress;
            options.Schema = "hr";
        }

        configure?.Invoke(options);
        return options;
    }

    /// <summary>Client-credentials settings (a secret is required).</summary>
    public static ClientSettings ConfidentialSettings(TokenEndpointProfile? profile = null, Action<OAuth2ClientOptions>? configure = null)
        => ClientSettings.Create(Options(profile, configure), OAuth2ClientOptionsValidator.ClientCredentials);

    /// <summary>Settings of a public client: no secret, validated for the authorization-code grant.</summary>
    public static ClientSettings PublicClientSettings(TokenEndpointProfile? profile = null, Action<OAuth2ClientOptions>? configure = null)
        => ClientSettings.Create(
            Options(profile, o =>
            {
                o.ClientSecret = null;
                configure?.Invoke(o);
            }),
            OAuth2ClientOptionsValidator.AuthorizationCode);

    public static TokenEndpointErrors Errors(ClientSettings settings, IReadOnlyList<string>? credentials = null)
        => new(settings.TokenEndpoint, settings.RedactedTokenEndpoint, credentials ?? []);

    public static TokenHttpResponse Response(int status, string? mediaType, string body, Uri? location = null)
        => new((HttpStatusCode)status, mediaType, RetryAfter: null, Encoding.UTF8.GetBytes(body), BodyTooLarge: false) { Location = location };

    public static TokenHttpResponse Response(int status, string? mediaType, byte[] body)
        => new((HttpStatusCode)status, mediaType, RetryAfter: null, body, BodyTooLarge: false);

    /// <summary>The endpoint as every message must name it: no query.</summary>
    public static string RedactedEndpoint(ClientSettings settings) => Redaction.RedactUri(settings.TokenEndpoint);
}
