using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace OAuth2Client.Testing;

/// <summary>
/// A strict authorization server for the authorization-code grant with PKCE, as webMethods API Gateway runs it:
/// the authorize endpoint checks the client, a loopback redirect URI (any port, RFC 8252 §7.3), the S256 challenge and
/// the state, then "approves" at once (or denies, when <see cref="DenyAccess"/> is set) with a 302 to the redirect URI.
/// Codes are single use and bound to the client, the redirect URI and the challenge; refresh tokens rotate.
/// </summary>
public sealed partial class AuthorizationCodeFlow
{
    private readonly string _clientId;
    private readonly Func<string?, string> _issueAccessToken;
    private readonly Func<string, bool> _revokeAccessToken;
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RedeemedCode> _redeemed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _everIssuedCodes = new();
    private readonly ConcurrentQueue<string> _everIssuedRefreshTokens = new();
    private int _authorizeRequestCount;
    private int _refreshRequestCount;

    internal AuthorizationCodeFlow(string clientId, Func<string?, string> issueAccessToken, Func<string, bool> revokeAccessToken)
    {
        _clientId = clientId;
        _issueAccessToken = issueAccessToken;
        _revokeAccessToken = revokeAccessToken;
    }

    /// <summary>Absolute path of the authorize endpoint.</summary>
    public string AuthorizePath { get; set; } = "/oauth2/authorize";

    /// <summary>The registered redirect path; the host must be loopback (<c>127.0.0.1</c>, <c>[::1]</c> or <c>localhost</c>) over http, on any port.</summary>
    public string RedirectPath { get; set; } = "/callback";

    /// <summary>Whether token requests of these grants must have a JSON body (webMethods API Gateway).</summary>
    public bool RequireJsonBody { get; set; }

    /// <summary>Whether a client may redeem codes and refresh tokens without a secret (a public client sends only <c>client_id</c>).</summary>
    public bool AllowPublicClients { get; set; }

    /// <summary>When true, the authorize endpoint redirects with <c>error=access_denied</c> as if the user clicked Deny.</summary>
    public bool DenyAccess { get; set; }

    /// <summary>Whether token responses carry a refresh token.</summary>
    public bool IssueRefreshTokens { get; set; } = true;

    /// <summary>Whether a refresh issues a new refresh token and invalidates the old one; when false, the response has no refresh token and the old one stays valid.</summary>
    public bool RotateRefreshTokens { get; set; } = true;

    /// <summary>Authorize requests received, whatever their outcome.</summary>
    public int AuthorizeRequestCount => Volatile.Read(ref _authorizeRequestCount);

    /// <summary>Token requests with <c>grant_type=refresh_token</c> received, whatever their outcome.</summary>
    public int RefreshRequestCount => Volatile.Read(ref _refreshRequestCount);

    /// <summary>Every authorization code issued, used or not (for leak checks).</summary>
    public IReadOnlyList<string> IssuedCodes => [.. _everIssuedCodes];

    /// <summary>Every refresh token issued, valid or not (for leak checks).</summary>
    public IReadOnlyList<string> IssuedRefreshTokens => [.. _everIssuedRefreshTokens];

    /// <summary>Whether the refresh token was issued here and is still valid.</summary>
    public bool IsValidRefreshToken(string refreshToken) => _refreshTokens.ContainsKey(refreshToken);

    /// <summary>Makes every refresh token invalid, as a revocation by an administrator or a password change would.</summary>
    public void RevokeRefreshTokens() => _refreshTokens.Clear();

    /// <summary>The S256 challenge of a verifier, computed independently of the client library.</summary>
    public static string S256(string codeVerifier) => Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));

    /// <summary>Answers <c>GET {AuthorizePath}</c>: a 400 page for an unknown client or redirect URI, otherwise a 302 to the redirect URI.</summary>
    internal Task AuthorizeAsync(HttpContext context)
    {
        Interlocked.Increment(ref _authorizeRequestCount);
        IQueryCollection query = context.Request.Query;
        string? redirectUri = Single(query, "redirect_uri");
        if (!HttpMethods.IsGet(context.Request.Method) || Single(query, "client_id") != _clientId || !IsLoopbackRedirect(redirectUri))
        {
            // RFC 6749 §4.1.2.1: never redirect to an unverified client or redirect URI.
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("Unknown client_id or unregistered redirect_uri.");
        }

        string? state = Single(query, "state");
        string? challenge = Single(query, "code_challenge");
        (string Error, string Description)? refusal =
            Single(query, "response_type") != "code" ? ("unsupported_response_type", "Only response_type=code is supported.")
            : string.IsNullOrEmpty(state) ? ("invalid_request", "state is required.")
            : Single(query, "code_challenge_method") != "S256" ? ("invalid_request", "PKCE with code_challenge_method=S256 is required; plain is refused.")
            : challenge is null || !ChallengeSyntax().IsMatch(challenge) ? ("invalid_request", "code_challenge must be 43 base64url characters.")
            : DenyAccess ? ("access_denied", "The resource owner denied the request.")
            : null;

        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (refusal is { } r)
        {
            parameters["error"] = r.Error;
            parameters["error_description"] = r.Description;
        }
        else
        {
            string code = Hex.Random(16);
            _codes[code] = new PendingCode(_clientId, redirectUri!, challenge!, Single(query, "scope"));
            _everIssuedCodes.Enqueue(code);
            parameters["code"] = code;
        }

        if (!string.IsNullOrEmpty(state))
        {
            parameters["state"] = state;
        }

        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = QueryHelpers.AddQueryString(redirectUri!, parameters);
        return Task.CompletedTask;
    }

    /// <summary>Redeems <c>grant_type=authorization_code</c> for an authenticated client.</summary>
    internal GrantResult Redeem(IReadOnlyDictionary<string, string> fields)
    {
        if (!fields.TryGetValue("code", out string? code))
        {
            return GrantResult.Fail("invalid_request", "code is required.");
        }

        if (!_codes.TryRemove(code, out PendingCode? pending))
        {
            if (_redeemed.TryRemove(code, out RedeemedCode? used))
            {
                // RFC 6749 §4.1.2: a code used twice revokes what it was exchanged for.
                _revokeAccessToken(used.OAuth2Token);
                if (used.RefreshToken is not null)
                {
                    _refreshTokens.TryRemove(used.RefreshToken, out _);
                }
            }

            return GrantResult.Fail("invalid_grant", "The authorization code is unknown or was already used.");
        }

        string? problem = fields.GetValueOrDefault("client_id", pending.ClientId) != pending.ClientId ? "The code was issued to another client."
            : fields.GetValueOrDefault("redirect_uri") != pending.RedirectUri ? "redirect_uri does not match the authorization request's."
            : !fields.TryGetValue("code_verifier", out string? verifier) ? "code_verifier is required (PKCE)."
            : !VerifierSyntax().IsMatch(verifier) || S256(verifier) != pending.Challenge ? "code_verifier does not match the code_challenge."
            : null;
        if (problem is not null)
        {
            return GrantResult.Fail("invalid_grant", problem);
        }

        GrantResult issued = Issue(pending.ClientId, pending.Scope);
        _redeemed[code] = new RedeemedCode(issued.OAuth2Token!, issued.RefreshToken);
        return issued;
    }

    /// <summary>Redeems <c>grant_type=refresh_token</c> for an authenticated client, rotating the refresh token.</summary>
    internal GrantResult Refresh(IReadOnlyDictionary<string, string> fields)
    {
        Interlocked.Increment(ref _refreshRequestCount);
        if (!fields.TryGetValue("refresh_token", out string? refreshToken))
        {
            return GrantResult.Fail("invalid_request", "refresh_token is required.");
        }

        if (!_refreshTokens.TryGetValue(refreshToken, out RefreshGrant? grant)
            || fields.GetValueOrDefault("client_id", grant.ClientId) != grant.ClientId
            || (RotateRefreshTokens && !_refreshTokens.TryRemove(refreshToken, out _)))
        {
            return GrantResult.Fail("invalid_grant", "The refresh token is invalid, expired, revoked or already used.");
        }

        return RotateRefreshTokens
            ? Issue(grant.ClientId, grant.Scope)
            : new GrantResult(null, null, _issueAccessToken(grant.Scope), null, grant.Scope);
    }

    private GrantResult Issue(string clientId, string? scope)
    {
        string accessToken = _issueAccessToken(scope);
        string? refreshToken = null;
        if (IssueRefreshTokens)
        {
            refreshToken = "rt-" + Hex.Random(24);
            _refreshTokens[refreshToken] = new RefreshGrant(clientId, scope);
            _everIssuedRefreshTokens.Enqueue(refreshToken);
        }

        return new GrantResult(null, null, accessToken, refreshToken, scope);
    }

    private bool IsLoopbackRedirect(string? redirectUri)
        => Uri.TryCreate(redirectUri, UriKind.Absolute, out Uri? uri)
            && uri.Scheme == Uri.UriSchemeHttp
            && uri.Host is "127.0.0.1" or "[::1]" or "localhost"
            && uri.AbsolutePath == RedirectPath
            && uri.Fragment.Length == 0
            && uri.UserInfo.Length == 0;

    private static string? Single(IQueryCollection query, string name)
        => query.TryGetValue(name, out Microsoft.Extensions.Primitives.StringValues values) && values.Count == 1 ? values[0] : null;

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex ChallengeSyntax();

    [GeneratedRegex("^[A-Za-z0-9._~-]{43,128}$")]
    private static partial Regex VerifierSyntax();

    private sealed record PendingCode(string ClientId, string RedirectUri, string Challenge, string? Scope);

    private sealed record RedeemedCode(string OAuth2Token, string? RefreshToken);

    private sealed record RefreshGrant(string ClientId, string? Scope);
}

/// <summary>The outcome of a code redemption or a refresh: an OAuth2 error, or the tokens issued.</summary>
internal sealed record GrantResult(string? Error, string? Description, string? OAuth2Token, string? RefreshToken, string? Scope)
{
    public static GrantResult Fail(string error, string description) => new(error, description, null, null, null);
}
