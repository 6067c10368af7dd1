using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OAuth2Client.Diagnostics;
using OAuth2Client.Http;

namespace OAuth2Client;

/// <summary>
/// A <see cref="DelegatingHandler"/> that authorizes every request with <c>Authorization: Bearer</c> and recovers once
/// from a 401 that blames the token (no <c>WWW-Authenticate</c>, or a <c>Bearer</c> challenge with <c>invalid_token</c>
/// or no error): it renews the token (only if the rejected token is still the cached one and not younger than
/// <see cref="OAuth2ClientOptions.MinTokenAgeForRenewal"/>, so a burst or a storm of 401s causes at most one renewal)
/// and sends the same request again, with the same method, headers and body bytes. Any other 401, and a second one, is
/// returned as is. When no token can be obtained, the request is not sent and <see cref="OAuth2TokenException"/> is thrown.
/// A request marked with <see cref="OAuth2HttpRequestMessageExtensions.SetOAuth2TokenParameters"/> gets a token for its own
/// parameters from an <see cref="IOAuth2ParameterizedTokenProvider"/>, with the same caching and 401 policy.
/// </summary>
/// <example>
/// Without dependency injection:
/// <code>
/// using var http = new HttpClient(new BearerTokenHandler(options)) { BaseAddress = new Uri("https://api.example.com/") };
/// </code>
/// </example>
public sealed class BearerTokenHandler : DelegatingHandler
{
    private const string TooYoung = "the token provider declined to renew a token this young (MinTokenAgeForRenewal)";

    private readonly IOAuth2TokenProvider _tokenProvider;
    private readonly ILogger _logger;
    private readonly ClientCredentialsTokenProvider? _ownedProvider;
    private long _maxRequestBodyBufferSize = RequestContentBuffering.DefaultMaxBufferSize;

    /// <summary>
    /// Creates a handler that takes tokens from <paramref name="tokenProvider"/>. Set <see cref="DelegatingHandler.InnerHandler"/>
    /// (or let <c>IHttpClientFactory</c> do it) before the first request.
    /// </summary>
    /// <param name="tokenProvider">Where tokens come from; share one provider between handlers of the same client.</param>
    /// <param name="logger">Where to log renewals after 401; nothing is logged when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenProvider"/> is null.</exception>
    public BearerTokenHandler(IOAuth2TokenProvider tokenProvider, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        _tokenProvider = tokenProvider;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Creates a ready-to-use handler for the client-credentials grant, with its own token provider and a
    /// <c>SocketsHttpHandler</c> as <see cref="DelegatingHandler.InnerHandler"/> (replace it before the first
    /// request if you need another) that presents <see cref="OAuth2ClientOptions.ClientCertificate"/>, if set, to the API
    /// as well (certificate-bound tokens). Both are disposed with the handler.
    /// </summary>
    /// <param name="options">The client's options; they are validated and copied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem and its fix.</exception>
    public BearerTokenHandler(OAuth2ClientOptions options)
        : this(new ClientCredentialsTokenProvider(options))
    {
        _ownedProvider = (ClientCredentialsTokenProvider)_tokenProvider;
        _maxRequestBodyBufferSize = options.MaxRequestBodyBufferSize;

        // With a client certificate, the API calls present it too: certificate-bound tokens (RFC 8705 §3) need it.
        InnerHandler = Endpoint.TokenEndpointHttpClient.CreateHandler(options.ClientCertificate, forTokenEndpoint: false);
    }

    /// <summary>Gets the provider this handler takes tokens from.</summary>
    public IOAuth2TokenProvider TokenProvider => _tokenProvider;

    /// <summary>
    /// Gets or sets the largest request body kept in memory so that it can be sent again after a 401. Bodies that can be
    /// read twice (byte arrays, strings, forms, seekable streams) are never copied. Any other body (a non-seekable
    /// stream, a custom <see cref="HttpContent"/>) is kept while it is sent, up to this size; a larger one is streamed
    /// once and never held in memory, and a 401 to it is returned to the caller as it is (after the token is renewed,
    /// so the caller's own retry succeeds). Set it before the first request; the constructor that takes options uses
    /// <see cref="OAuth2ClientOptions.MaxRequestBodyBufferSize"/>.
    /// </summary>
    /// <value>The default value is 1 MiB (1,048,576 bytes); 0 disables replaying such bodies.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or larger than <see cref="int.MaxValue"/>.</exception>
    public long MaxRequestBodyBufferSize
    {
        get => _maxRequestBodyBufferSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, RequestContentBuffering.MaxBufferSizeAllowed);
            _maxRequestBodyBufferSize = value;
        }
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // Per-request parameters are looked for only once some request in the process has had them (reading
        // request.Options would allocate it): without them, this is one volatile read.
        IOAuth2TokenProvider provider = _tokenProvider;
        if (TokenParametersOption.AnySet && !TryGetProviderFor(request, out provider, out OAuth2TokenException? refused))
        {
            // As when no token can be had: a faulted task, the request not sent.
            return Task.FromException<HttpResponseMessage>(refused);
        }

        ValueTask<OAuth2Token> pendingToken = provider.GetTokenAsync(cancellationToken);
        bool record = request.Content is not null && RequestContentBuffering.NeedsBuffering(request.Content);
        if (!pendingToken.IsCompletedSuccessfully || record)
        {
            return SendSlowAsync(request, provider, pendingToken, record, cancellationToken);
        }

        // Hot path: cached token, re-sendable body. No state machine unless the inner handler completes asynchronously.
        OAuth2Token token = pendingToken.Result;
        request.Headers.Authorization = token.AuthorizationHeader;
        Uri? sentTo = request.RequestUri;
        Task<HttpResponseMessage> sending = base.SendAsync(request, cancellationToken);
        return sending.IsCompletedSuccessfully && sending.Result.StatusCode != HttpStatusCode.Unauthorized
            ? sending
            : RetryIfUnauthorizedAsync(request, provider, sentTo, token, sending, body: null, cancellationToken);
    }

#if !NETSTANDARD2_0 // netstandard2.0 has no synchronous HttpMessageHandler.Send.
    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IOAuth2TokenProvider provider = TokenParametersOption.AnySet ? ProviderFor(request) : _tokenProvider;
        OAuth2Token token = provider.GetTokenAsync(cancellationToken).AsTask().GetAwaiter().GetResult();
        ReplayableContent? body = RequestContentBuffering.NeedsBuffering(request.Content)
            ? ReplayableContent.Wrap(request, _maxRequestBodyBufferSize, cancellationToken)
            : null;
        try
        {
            request.Headers.Authorization = token.AuthorizationHeader;
            Uri? sentTo = request.RequestUri;
            HttpResponseMessage response = base.Send(request, cancellationToken);
            return RenewIfTokenBlamedAsync(request, provider, sentTo, token, response, body, cancellationToken).AsTask().GetAwaiter().GetResult()
                ? LogIfStillUnauthorized(request, base.Send(request, cancellationToken))
                : response;
        }
        finally
        {
            body?.Restore(request);
        }
    }
#endif

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedProvider?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<HttpResponseMessage> SendSlowAsync(HttpRequestMessage request, IOAuth2TokenProvider provider, ValueTask<OAuth2Token> pendingToken, bool record, CancellationToken cancellationToken)
    {
        OAuth2Token token = await pendingToken.ConfigureAwait(false);
        Uri? sentTo = request.RequestUri;
        if (!record)
        {
            request.Headers.Authorization = token.AuthorizationHeader;
            return await RetryIfUnauthorizedAsync(request, provider, sentTo, token, base.SendAsync(request, cancellationToken), body: null, cancellationToken).ConfigureAwait(false);
        }

        // A body that cannot be read twice is kept (up to the limit) while it is sent, so a retry carries the same bytes.
        ReplayableContent body = await ReplayableContent.WrapAsync(request, _maxRequestBodyBufferSize, cancellationToken).ConfigureAwait(false);
        try
        {
            request.Headers.Authorization = token.AuthorizationHeader;
            return await RetryIfUnauthorizedAsync(request, provider, sentTo, token, base.SendAsync(request, cancellationToken), body, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            body.Restore(request);
        }
    }

    private async Task<HttpResponseMessage> RetryIfUnauthorizedAsync(
        HttpRequestMessage request,
        IOAuth2TokenProvider provider,
        Uri? sentTo,
        OAuth2Token token,
        Task<HttpResponseMessage> sending,
        ReplayableContent? body,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await sending.ConfigureAwait(false);
        return await RenewIfTokenBlamedAsync(request, provider, sentTo, token, response, body, cancellationToken).ConfigureAwait(false)
            ? LogIfStillUnauthorized(request, await base.SendAsync(request, cancellationToken).ConfigureAwait(false))
            : response;
    }

    /// <summary>
    /// The 401 policy, for both send paths: when <paramref name="response"/> blames the token and the provider renews
    /// it, disposes the response, sets the new token on the request and returns <see langword="true"/> (send again);
    /// otherwise returns <see langword="false"/> and the response goes back to the caller as it is. A body that was
    /// streamed once (<paramref name="body"/> cannot replay) is not sent again, but the token is still renewed.
    /// </summary>
    private async ValueTask<bool> RenewIfTokenBlamedAsync(HttpRequestMessage request, IOAuth2TokenProvider provider, Uri? sentTo, OAuth2Token token, HttpResponseMessage response, ReplayableContent? body, CancellationToken cancellationToken)
    {
        if (!UnauthorizedPolicy.BlamesToken(request, sentTo, response, out string? whyNot))
        {
            NotRenewed(request, whyNot);
            return false;
        }

        OAuth2Token renewed;
        try
        {
            renewed = await provider.RenewTokenAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        if (ReferenceEquals(renewed, token))
        {
            NotRenewed(request, TooYoung);
            return false;
        }

        if (body is { CanReplay: false })
        {
            Log.UnauthorizedBodyNotReplayed(_logger, request, _maxRequestBodyBufferSize);
            return false;
        }

        response.Dispose();
        Log.RenewingAfterUnauthorized(_logger, request);
        request.Headers.Authorization = renewed.AuthorizationHeader;
        return true;
    }

    /// <summary>The provider for the request's own token parameters, if it has any; the handler's provider otherwise.</summary>
    /// <exception cref="OAuth2TokenException">The request has parameters the provider cannot honour (rather than send it with another token).</exception>
    private IOAuth2TokenProvider ProviderFor(HttpRequestMessage request)
    {
        if (TokenParametersOption.Get(request) is not { IsEmpty: false } parameters)
        {
            return _tokenProvider;
        }

        return _tokenProvider is IOAuth2ParameterizedTokenProvider parameterized
            ? parameterized.WithParameters(parameters)
            : throw new OAuth2TokenException($"The request asks for its own token parameters (scope, resource or audience), but the token provider {_tokenProvider.GetType().Name} does not support them (it does not implement IOAuth2ParameterizedTokenProvider); the request was not sent.");
    }

    /// <summary><see cref="ProviderFor"/> without throwing, so the hot method holds no exception handler.</summary>
    private bool TryGetProviderFor(HttpRequestMessage request, out IOAuth2TokenProvider provider, [NotNullWhen(false)] out OAuth2TokenException? refused)
    {
        try
        {
            provider = ProviderFor(request);
            refused = null;
            return true;
        }
        catch (OAuth2TokenException ex)
        {
            provider = _tokenProvider;
            refused = ex;
            return false;
        }
    }

    private void NotRenewed(HttpRequestMessage request, string? whyNot)
    {
        if (whyNot is not null)
        {
            Log.UnauthorizedNotRenewed(_logger, request, whyNot);
        }
    }

    private HttpResponseMessage LogIfStillUnauthorized(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Log.UnauthorizedAfterRenewal(_logger, request);
        }

        return response;
    }
}
