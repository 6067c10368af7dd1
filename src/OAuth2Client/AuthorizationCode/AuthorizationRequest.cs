using System.Diagnostics;
using OAuth2Client.Diagnostics;

namespace OAuth2Client;

/// <summary>
/// One authorization-code sign-in in progress: the URL to open in the browser, and what the client must keep to
/// check and redeem the answer (the <see cref="State"/> and the PKCE <see cref="Pkce"/> pair). Create it with
/// <see cref="AuthorizationCodeTokenProvider.CreateAuthorizationRequest"/> and pass it back to
/// <see cref="AuthorizationCodeTokenProvider.ExchangeCodeAsync"/>. <see cref="ToString"/> never shows the state or the verifier.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class AuthorizationRequest
{
    internal AuthorizationRequest(Uri url, Uri redirectUri, string state, PkceCodes pkce)
    {
        Url = url;
        RedirectUri = redirectUri;
        State = state;
        Pkce = pkce;
    }

    /// <summary>
    /// Gets the URL to open in the user's browser: the authorization endpoint with <c>response_type=code</c>,
    /// <c>client_id</c>, <c>redirect_uri</c>, <c>scope</c>, <c>state</c>, <c>code_challenge</c> and <c>code_challenge_method=S256</c>.
    /// </summary>
    public Uri Url { get; }

    /// <summary>Gets the redirect URI the authorization server sends the browser back to; the token request repeats it.</summary>
    public Uri RedirectUri { get; }

    /// <summary>Gets the random <c>state</c> that the redirect must carry back unchanged (CSRF protection). Do not log it.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string State { get; }

    /// <summary>Gets the PKCE pair; its verifier is sent only with the code, to the token endpoint.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public PkceCodes Pkce { get; }

    /// <summary>Describes the request without its query, state or verifier.</summary>
    /// <returns>For example <c>AuthorizationRequest { AuthorizationEndpoint = https://gw.example.com/invoke/pub.apigateway.oauth2/authorize, RedirectUri = http://127.0.0.1:50123/callback }</c>.</returns>
    public override string ToString()
        => $"AuthorizationRequest {{ AuthorizationEndpoint = {Redaction.RedactUri(Url)}, RedirectUri = {Redaction.RedactUri(RedirectUri)} }}";
}
