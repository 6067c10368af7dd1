using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OAuth2Client.AuthorizationCode;
using OAuth2Client.Caching;
using OAuth2Client.Diagnostics;
using OAuth2Client.Endpoint;
using OAuth2Client.Grants;
using OAuth2Client.Settings;

namespace OAuth2Client;

/// <summary>
/// Obtains access tokens for a signed-in user with the authorization-code grant and PKCE (RFC 6749 §4.1, RFC 7636),
/// and keeps the user signed in with the refresh token: shortly before a token expires, or after the API answers 401,
/// one refresh runs however many callers ask, and a rotated refresh token replaces the old one in the
/// <see cref="IRefreshTokenStore"/>. Thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Sign the user in once with <see cref="SignInAsync(CancellationToken)"/> (a browser and a loopback redirect, for
/// console and desktop apps), or run the flow yourself with <see cref="CreateAuthorizationRequest"/> and
/// <see cref="ExchangeCodeAsync"/>. Then use the provider exactly like <see cref="ClientCredentialsTokenProvider"/>:
/// <c>new BearerTokenHandler(provider)</c> authorizes <see cref="HttpClient"/> requests.
/// </para>
/// <para>
/// When no token can be had without the user (nobody signed in, or the server rejected the refresh token),
/// <see cref="GetTokenAsync"/> throws <see cref="OAuth2SignInRequiredException"/>. A client secret is optional: without
/// one the client is public and sends only <c>client_id</c>.
/// </para>
/// </remarks>
public sealed class AuthorizationCodeTokenProvider : IOAuth2TokenProvider, IDisposable
{
    private const int StateEntropyBytes = 32;

    private readonly ClientSettings _settings;
    private readonly TokenEndpointClient _endpoint;
    private readonly IRefreshTokenStore _store;
    private readonly TokenSource _source;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HttpClient? _ownedHttpClient;
    private readonly string _storeKey;
    private readonly string _redactedAuthorizationEndpoint;
    private readonly string _description;

    /// <summary>Creates a provider for the given options.</summary>
    /// <param name="options">
    /// The client's options; they are validated and copied. Besides the token endpoint they need the authorization
    /// endpoint: <see cref="OAuth2ClientOptions.AuthorizationEndpoint"/>, or <see cref="OAuth2ClientOptions.ServerAddress"/>
    /// with a profile that knows its path (such as <see cref="TokenEndpointProfile.WebMethodsApiGateway"/>).
    /// </param>
    /// <param name="refreshTokenStore">Where the refresh token is kept; an <see cref="InMemoryRefreshTokenStore"/> when <see langword="null"/>.</param>
    /// <param name="httpClient">
    /// The client used to call the token endpoint (it must not carry this provider's own handler). When
    /// <see langword="null"/>, the provider creates one and disposes it with itself.
    /// </param>
    /// <param name="timeProvider">The clock for expiry and the sign-in timeout; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="loggerFactory">Where to log; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem and its fix.</exception>
    public AuthorizationCodeTokenProvider(
        OAuth2ClientOptions options,
        IRefreshTokenStore? refreshTokenStore = null,
        HttpClient? httpClient = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _settings = ClientSettings.Create(options, OAuth2ClientOptionsValidator.AuthorizationCode);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)loggerFactory?.CreateLogger<AuthorizationCodeTokenProvider>() ?? NullLogger.Instance;
        _store = refreshTokenStore ?? new InMemoryRefreshTokenStore();
        _ownedHttpClient = httpClient is null ? TokenEndpointHttpClient.CreateDefault(_settings.ClientCertificate) : null;
        HttpClient backchannel = httpClient ?? _ownedHttpClient!;
        _endpoint = new TokenEndpointClient(_settings, () => backchannel, _timeProvider, _logger);
        // No secret and no secret fingerprint: stores use the key as a file or keychain name, and rotating the client
        // secret must not sign every user out.
        // A hash of the full endpoint (its query too: Azure B2C names the policy there), the client id and the scope.
        _storeKey = "oauth2client:refresh-token:v2:" + TokenCacheKey.Hash([AuthorizationCodeGrant.GrantType, _settings.TokenEndpoint.AbsoluteUri, _settings.ClientId, _settings.Scope]);
        _source = new TokenSource((_, ct) => RefreshAsync(ct), _timeProvider, TokenLifecycle.From(_settings), sharedCache: null, _storeKey, _settings.Name, _logger, telemetry: _settings.Telemetry);
        _redactedAuthorizationEndpoint = Redaction.RedactUri(_settings.AuthorizationEndpoint);
        _description = $"AuthorizationCodeTokenProvider {{ ClientId = {_settings.ClientId}, AuthorizationEndpoint = {_redactedAuthorizationEndpoint}, TokenEndpoint = {_settings.RedactedTokenEndpoint}, Profile = {_settings.ProfileName} }}";
    }

    /// <summary>
    /// Returns the signed-in user's access token: the cached one while it is fresh, otherwise one renewed with the
    /// refresh token (also after a restart, when the <see cref="IRefreshTokenStore"/> persisted it).
    /// </summary>
    /// <param name="cancellationToken">Stops this caller waiting. A renewal shared with other callers goes on for them.</param>
    /// <returns>A valid access token.</returns>
    /// <exception cref="OAuth2SignInRequiredException">Nobody is signed in, or the refresh token was rejected: sign in again.</exception>
    /// <exception cref="OAuth2TokenException">The token endpoint failed or could not be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken = default)
        => _source.GetTokenAsync(cancellationToken);

    /// <inheritdoc />
    /// <exception cref="OAuth2SignInRequiredException">Nobody is signed in, or the refresh token was rejected: sign in again.</exception>
    public ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejectedToken, CancellationToken cancellationToken = default)
        => _source.RenewTokenAsync(rejectedToken, cancellationToken);

    /// <summary>
    /// Starts a sign-in: creates a PKCE pair and a random <c>state</c>, and builds the authorization URL to open in the
    /// user's browser. Keep the returned request to pass to <see cref="ExchangeCodeAsync"/> with the redirect.
    /// </summary>
    /// <param name="redirectUri">
    /// Where the authorization server sends the browser back; it must be registered for the client. For a native app,
    /// a loopback URI such as <c>http://127.0.0.1:50123/callback</c> (RFC 8252).
    /// </param>
    /// <returns>The URL, the state and the PKCE pair.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="redirectUri"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="redirectUri"/> is relative or has a fragment.</exception>
    public AuthorizationRequest CreateAuthorizationRequest(Uri redirectUri)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        if (!redirectUri.IsAbsoluteUri || redirectUri.OriginalString.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException("The redirect URI must be absolute and have no fragment (RFC 6749 §3.1.2), for example http://127.0.0.1:50123/callback.", nameof(redirectUri));
        }

        PkceCodes pkce = PkceCodes.Create();
        string state = PkceCodes.CreateRandomToken(StateEntropyBytes);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new("client_id", _settings.ClientId),
            new("redirect_uri", redirectUri.OriginalString),
        };
        if (_settings.Scope is not null)
        {
            parameters.Add(new("scope", _settings.Scope));
        }

        parameters.Add(new("state", state));
        parameters.Add(new("code_challenge", pkce.CodeChallenge));
        parameters.Add(new("code_challenge_method", pkce.CodeChallengeMethod));
        return new AuthorizationRequest(QueryString.Append(_settings.AuthorizationEndpoint!, parameters), redirectUri, state, pkce);
    }

    /// <summary>
    /// Completes a sign-in: reads the code from the address the browser was redirected to, checks its <c>state</c>, and
    /// exchanges the code and the PKCE verifier for tokens. The access token becomes the provider's current token and
    /// the refresh token, if the server issued one, is stored.
    /// </summary>
    /// <param name="request">The request this sign-in started with.</param>
    /// <param name="callbackUri">The full address the browser landed on, for example <c>http://127.0.0.1:50123/callback?code=…&amp;state=…</c>.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The new access token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="callbackUri"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="callbackUri"/> is not at the request's redirect URI.</exception>
    /// <exception cref="OAuth2AuthorizationException">
    /// The user denied access (<see cref="OAuth2TokenException.Error"/> is <c>access_denied</c>), the server answered
    /// with another error, or the <c>state</c> does not match (the redirect may be forged); no code was sent.
    /// </exception>
    /// <exception cref="OAuth2TokenException">The token endpoint refused the code (for example <c>invalid_grant</c> for a used code or a wrong verifier) or failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<OAuth2Token> ExchangeCodeAsync(AuthorizationRequest request, Uri callbackUri, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(callbackUri);
        if (!callbackUri.IsAbsoluteUri
            || Uri.Compare(callbackUri, request.RedirectUri, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new ArgumentException($"The callback URI must be the address the browser was redirected to, at the request's redirect URI {Redaction.RedactUri(request.RedirectUri)}.", nameof(callbackUri));
        }

        string code = ReadCode(request, callbackUri);
        var grant = new AuthorizationCodeGrant(code, request.RedirectUri, request.Pkce.CodeVerifier, _settings.ClientId);

        using Activity? activity = _settings.Telemetry.StartActivity(ClientTelemetry.SignInSpan);
        try
        {
            return await ExchangeAsync(grant, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ClientTelemetry.Failed(activity, ex);
            throw;
        }
    }

    private async Task<OAuth2Token> ExchangeAsync(AuthorizationCodeGrant grant, CancellationToken cancellationToken)
    {
        // The exchange enters the token source like any renewal, superseding one in flight.
        return await _source.ReplaceAsync(
            async ct =>
            {
                TokenResponse response = await _endpoint.RequestTokenAsync(grant, allowRetries: false, ct).ConfigureAwait(false);

                // A sign-in without a refresh token also forgets an older one: it may belong to another user.
                await _store.SetAsync(_storeKey, response.RefreshToken, CancellationToken.None).ConfigureAwait(false);
                Log.SignedIn(_logger, _settings.Name, response.RefreshToken is null ? "none issued" : "stored");
                return response;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Signs the user in through the system browser with the default <see cref="LoopbackSignInOptions"/>: listens on a
    /// free loopback port, opens the authorization URL (or writes it to the console when no browser can be started),
    /// waits up to 5 minutes for the redirect, answers the browser, and exchanges the code.
    /// </summary>
    /// <param name="cancellationToken">Cancels the sign-in.</param>
    /// <returns>The new access token.</returns>
    /// <exception cref="OAuth2AuthorizationException">The user denied access, the server answered with an error, the state did not match, or the time ran out.</exception>
    /// <exception cref="OAuth2TokenException">The code could not be exchanged.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public Task<OAuth2Token> SignInAsync(CancellationToken cancellationToken = default)
        => SignInAsync(new LoopbackSignInOptions(), cancellationToken);

    /// <summary>
    /// Signs the user in through a browser and a loopback redirect (RFC 8252), as configured by <paramref name="signIn"/>.
    /// </summary>
    /// <param name="signIn">The callback path, port, timeout and browser launcher.</param>
    /// <param name="cancellationToken">Cancels the sign-in.</param>
    /// <returns>The new access token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signIn"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="signIn"/> is invalid; the message lists every problem.</exception>
    /// <exception cref="System.Net.Sockets.SocketException">The fixed <see cref="LoopbackSignInOptions.Port"/> is in use.</exception>
    /// <exception cref="OAuth2AuthorizationException">The user denied access, the server answered with an error, the state did not match, or the time ran out.</exception>
    /// <exception cref="OAuth2TokenException">The code could not be exchanged.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled.</exception>
    public async Task<OAuth2Token> SignInAsync(LoopbackSignInOptions signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        IReadOnlyList<string> errors = signIn.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid sign-in options: " + string.Join(" ", errors), nameof(signIn));
        }

        using LoopbackRedirectListener listener = LoopbackRedirectListener.Start(signIn.CallbackPath, signIn.Port, _logger);
        AuthorizationRequest request = CreateAuthorizationRequest(listener.RedirectUri);
        Log.SignInStarted(_logger, _settings.Name, _redactedAuthorizationEndpoint, signIn.Timeout, listener.RedirectUri);
        Uri redirect = await WaitForRedirectAsync(listener, request, signIn, cancellationToken).ConfigureAwait(false);
        return await ExchangeCodeAsync(request, redirect, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels a renewal in flight and releases the HTTP client the provider created, if any.</summary>
    public void Dispose()
    {
        _source.Dispose();
        _ownedHttpClient?.Dispose();
        _settings.SigningKey?.Dispose();
    }

    /// <summary>Describes the provider without secrets.</summary>
    /// <returns>The client id, endpoints and profile.</returns>
    public override string ToString() => _description;

    internal TokenSource Source => _source;

    internal string RefreshTokenStoreKey => _storeKey;

    private async Task<Uri> WaitForRedirectAsync(LoopbackRedirectListener listener, AuthorizationRequest request, LoopbackSignInOptions signIn, CancellationToken cancellationToken)
    {
#if NETSTANDARD2_0
        using CancellationTokenSource timeout = _timeProvider.CreateCancellationTokenSource(signIn.Timeout);
#else
        using var timeout = new CancellationTokenSource(signIn.Timeout, _timeProvider);
#endif
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        Uri url = request.Url;
        Task<Uri> waiting = listener.WaitForRedirectAsync(request.State, linked.Token);
        try
        {
            Task opening = signIn.OpenBrowser is { } open
                ? open(url, linked.Token)
                : SystemBrowser.OpenAsync(url, signIn.Output ?? Console.Error, _logger);

            // The redirect wins: a launcher that returns late (or only when the browser closes) must not discard a
            // sign-in that has already completed. A launcher that fails before the redirect fails the sign-in.
            if (await Task.WhenAny(opening, waiting).ConfigureAwait(false) == opening && !waiting.IsCompleted)
            {
                await opening.ConfigureAwait(false);
            }
            else
            {
                _ = opening.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            return await waiting.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw SignInFailed(new OAuth2AuthorizationException(
                $"The browser sign-in did not complete within {signIn.Timeout}: no redirect arrived at {listener.RedirectUri}. Sign in again, or allow more time with LoopbackSignInOptions.Timeout.",
                new TimeoutException("The sign-in timed out.", ex)));
        }
        finally
        {
            await linked.CancelAsync().ConfigureAwait(false);
#if NETSTANDARD2_0
            try
            {
                await waiting.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Observed, as SuppressThrowing does on .NET 8+.
            }
#else
            await ((Task)waiting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
#endif
        }
    }

    /// <summary>Reads the code from the redirect, after checking its state; an error in the redirect becomes a typed exception.</summary>
    private string ReadCode(AuthorizationRequest request, Uri callbackUri)
    {
        Dictionary<string, string> query = QueryString.Parse(callbackUri.Query);
        query.TryGetValue("state", out string? state);
        bool stateMatches = state is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(state), Encoding.UTF8.GetBytes(request.State));
        if (query.TryGetValue("error", out string? error) && error.Length > 0 && (stateMatches || state is null))
        {
            // RFC 6749 §4.1.2.1 errors carry the state; one without it is still reported as what it says, since no code is redeemed.
            query.TryGetValue("error_description", out string? description);
            query.TryGetValue("error_uri", out string? errorUri);
            error = Redaction.Quote(error);
            description = description is null ? null : Redaction.Quote(description);
            string detail = string.IsNullOrWhiteSpace(description) ? "." : $": {description}";
            string message = error == "access_denied"
                ? $"The user denied access, or the authorization server refused it (error 'access_denied'){detail} Sign in again and approve the request to continue."
                : $"The authorization server {_redactedAuthorizationEndpoint} refused the sign-in with error '{error}'{detail}";
            throw SignInFailed(new OAuth2AuthorizationException(message, error, description, errorUri is null ? null : Redaction.Quote(errorUri)));
        }

        if (!stateMatches)
        {
            throw SignInFailed(new OAuth2AuthorizationException(state is null
                ? "The redirect carries no state, so it cannot be tied to this sign-in; no code was exchanged. Sign in again."
                : "The redirect's state does not match this sign-in's: it may be forged (cross-site request forgery) or belong to another sign-in; no code was exchanged. Sign in again."));
        }

        if (!query.TryGetValue("code", out string? code) || code.Length == 0)
        {
            throw SignInFailed(new OAuth2AuthorizationException("The redirect carries neither a code nor an error; no code was exchanged. Sign in again."));
        }

        return code;
    }

    private OAuth2AuthorizationException SignInFailed(OAuth2AuthorizationException failure)
    {
        Log.SignInFailed(_logger, _settings.Name, failure.Message);
        return failure;
    }

    /// <summary>The token source's fetch: renews the access token with the stored refresh token and stores a rotated one.</summary>
    private async Task<TokenResponse> RefreshAsync(CancellationToken cancellationToken)
    {
        using Activity? activity = _settings.Telemetry.StartActivity(ClientTelemetry.RefreshSpan);
        try
        {
            return await RefreshCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            ClientTelemetry.Failed(activity, ex);
            throw;
        }
    }

    private async Task<TokenResponse> RefreshCoreAsync(CancellationToken cancellationToken)
    {
        string? refreshToken = await _store.GetAsync(_storeKey, cancellationToken).ConfigureAwait(false);
        if (refreshToken is null)
        {
            Log.SignInRequired(_logger, _settings.Name);
            throw new OAuth2SignInRequiredException(
                $"No user is signed in for client '{_settings.ClientId}' (no refresh token is stored): call SignInAsync, or exchange an authorization code, first.");
        }

        Log.RefreshingToken(_logger, _settings.Name);
        TokenResponse response;
        try
        {
            response = await _endpoint.RequestTokenAsync(new RefreshTokenGrant(refreshToken, _settings.ClientId), allowRetries: false, cancellationToken).ConfigureAwait(false);
        }
        catch (OAuth2TokenException ex) when (ex.Error == "invalid_grant")
        {
            // Forget the rejected token, unless a new sign-in has replaced it meanwhile.
            if (await _store.GetAsync(_storeKey, CancellationToken.None).ConfigureAwait(false) == refreshToken)
            {
                await _store.SetAsync(_storeKey, null, CancellationToken.None).ConfigureAwait(false);
            }

            Log.RefreshTokenRejected(_logger, _settings.Name, ex.Error);
            throw new OAuth2SignInRequiredException(
                $"The token endpoint {_settings.RedactedTokenEndpoint} rejected the refresh token of client '{_settings.ClientId}' (error '{ex.Error}'): it expired or was revoked. Sign in again.",
                ex);
        }

        if (response.RefreshToken is null)
        {
            return response with { RefreshToken = refreshToken };
        }

        // Stored even if the provider is being disposed (the old one is dead now), and only if no sign-in has replaced
        // the refresh token this renewal started from.
        if (response.RefreshToken != refreshToken
            && await _store.GetAsync(_storeKey, CancellationToken.None).ConfigureAwait(false) == refreshToken)
        {
            await _store.SetAsync(_storeKey, response.RefreshToken, CancellationToken.None).ConfigureAwait(false);
            Log.RefreshTokenRotated(_logger, _settings.Name);
        }

        return response;
    }
}
