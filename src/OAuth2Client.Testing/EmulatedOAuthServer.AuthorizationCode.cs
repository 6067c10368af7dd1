using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace OAuth2Client.Testing;

/// <summary>The authorization-code grant of the emulated server: routing and token issuance; the rules live in <see cref="AuthorizationCodeFlow"/>.</summary>
public sealed partial class EmulatedOAuthServer
{
    private AuthorizationCodeFlow? _authorizationCode;

    /// <summary>The authorize endpoint and the <c>authorization_code</c> and <c>refresh_token</c> grants, with their settings and state.</summary>
    public AuthorizationCodeFlow AuthorizationCode
        => LazyInitializer.EnsureInitialized(ref _authorizationCode, () => new AuthorizationCodeFlow(ClientId, IssueAccessToken, token => _issued.TryRemove(token, out _)));

    /// <summary>The authorize endpoint's absolute URI.</summary>
    public Uri AuthorizationEndpoint => new(BaseAddress, AuthorizationCode.AuthorizePath);

    /// <summary>
    /// Starts a strict fake webMethods API Gateway for authorization code + PKCE: authorize at
    /// <c>/invoke/pub.apigateway.oauth2/authorize</c>, tokens at <c>/invoke/pub.apigateway.oauth2/getAccessToken</c> with
    /// Basic client authentication and a JSON body only, as in the gateway's documentation.
    /// </summary>
    /// <param name="clientId">The only client id accepted.</param>
    /// <param name="clientSecret">The only client secret accepted.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started server; dispose it to stop it.</returns>
    public static async Task<EmulatedOAuthServer> StartWebMethodsApiGatewayAsync(string clientId, string clientSecret, CancellationToken cancellationToken = default)
    {
        EmulatedOAuthServer server = await StartAsync(Vendors.WebMethodsApiGateway, clientId, clientSecret, cancellationToken).ConfigureAwait(false);
        ConfigureWebMethodsApiGateway(server);
        return server;
    }

    /// <summary>Sets the gateway's authorize path and its JSON-only code and refresh grants.</summary>
    internal static void ConfigureWebMethodsApiGateway(EmulatedOAuthServer server)
    {
        server.AuthorizationCode.AuthorizePath = "/invoke/pub.apigateway.oauth2/authorize";
        server.AuthorizationCode.RequireJsonBody = true;
    }

    /// <summary>Answers a token request of the <c>authorization_code</c> or <c>refresh_token</c> grant; null for any other request.</summary>
    private TokenReply? RedeemCodeOrRefresh(HttpRequest httpRequest, RecordedRequest request)
    {
        string mediaType = (request.ContentType ?? string.Empty).Split(';')[0].Trim();
        bool json = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
        Dictionary<string, string> fields = new(StringComparer.Ordinal);
        bool parsed = json
            ? TryReadJson(request.Body, out fields)
            : mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
        if (parsed && !json)
        {
            fields = QueryHelpers.ParseQuery(request.BodyText).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
        }

        if (!HttpMethods.IsPost(httpRequest.Method) || !parsed || fields.GetValueOrDefault("grant_type") is not { } grant
            || grant is not ("authorization_code" or "refresh_token"))
        {
            return null;
        }

        AuthorizationCodeFlow flow = AuthorizationCode;
        if (flow.RequireJsonBody && !json)
        {
            return Error(400, "invalid_request", "This token endpoint accepts a JSON body only.");
        }

        string failure = "client_id is missing or unknown, or this client must authenticate.";
        bool authenticated = request.Authorization is null && !fields.ContainsKey("client_secret")
            ? flow.AllowPublicClients && fields.GetValueOrDefault("client_id") == ClientId
            : Authenticate(request.Authorization, fields, json, out failure) && fields.GetValueOrDefault("client_id", ClientId) == ClientId;
        if (!authenticated)
        {
            return Error(401, "invalid_client", failure);
        }

        GrantResult result = grant == "authorization_code" ? flow.Redeem(fields) : flow.Refresh(fields);
        if (result.Error is { } error)
        {
            return Error(400, error, result.Description!);
        }

        var body = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["access_token"] = result.OAuth2Token!,
            ["token_type"] = Behavior.TokenType,
        };
        if (TokenLifetimeSeconds is { } lifetime)
        {
            body["expires_in"] = lifetime;
        }

        if (result.RefreshToken is { } refreshToken)
        {
            body["refresh_token"] = refreshToken;
        }

        if (Behavior.ReturnScope && result.Scope is { } scope)
        {
            body["scope"] = scope;
        }

        return TokenReply.Json(200, JsonSerializer.Serialize(body));
    }

    private string IssueAccessToken(string? scope)
    {
        string token = Hex.Random(16) + Interlocked.Increment(ref _tokenSequence).ToString(CultureInfo.InvariantCulture);
        _issued[token] = new IssuedToken(scope);
        _everIssued.Enqueue(token);
        return token;
    }
}
