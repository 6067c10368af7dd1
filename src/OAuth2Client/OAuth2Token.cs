using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace OAuth2Client;

/// <summary>
/// An access token issued by a token endpoint. <see cref="ToString"/> and the debugger never show its value.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class OAuth2Token
{
    /// <summary>
    /// Creates an access token.
    /// </summary>
    /// <param name="value">The token itself, as sent after <c>Bearer </c>.</param>
    /// <param name="expiresAt">The instant the token stops being valid.</param>
    /// <param name="scope">The scope the server granted, when it said so; otherwise <see langword="null"/>.</param>
    /// <param name="tokenType">The token type as the server spelled it. Defaults to <c>Bearer</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null, empty, or has characters an Authorization header cannot carry (only visible ASCII without spaces is allowed).</exception>
    public OAuth2Token(string value, DateTimeOffset expiresAt, string? scope = null, string tokenType = "Bearer")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (!IsHeaderSafe(value))
        {
            throw new ArgumentException("An access token can only hold visible ASCII characters without spaces.", nameof(value));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(tokenType);
        Value = value;
        ExpiresAt = expiresAt;
        Scope = scope;
        TokenType = tokenType;
        AuthorizationHeader = new AuthenticationHeaderValue("Bearer", value);
    }

    /// <summary>Gets the token value. Treat it as a secret: do not log it.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string Value { get; }

    /// <summary>Gets the token type as the server spelled it (for example <c>Bearer</c> or <c>bearer</c>). The header is always sent as <c>Bearer</c>.</summary>
    public string TokenType { get; }

    /// <summary>Gets the instant the token expires, computed from <c>expires_in</c> and the moment the request was sent.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Gets the scope the server granted, or <see langword="null"/> when the response did not name one.</summary>
    public string? Scope { get; }

    /// <summary>The header value built once per token, so attaching it costs no allocation per request.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    internal AuthenticationHeaderValue AuthorizationHeader { get; }

    /// <summary>Visible ASCII without spaces: what an Authorization header can carry (RFC 6750's b64token is a subset).</summary>
    internal static bool IsHeaderSafe(string value) => value.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0;

    /// <summary>Returns a description that names the type, expiry and scope but never the token value.</summary>
    /// <returns>For example <c>Bearer token (redacted), expires 2026-11-23T10:00:00.0000000+00:00, scope 'orders'</c>.</returns>
    public override string ToString()
    {
        string text = string.Create(CultureInfo.InvariantCulture, $"{TokenType} token (redacted), expires {ExpiresAt:O}");
        return Scope is null ? text : string.Create(CultureInfo.InvariantCulture, $"{text}, scope '{Scope}'");
    }
}
