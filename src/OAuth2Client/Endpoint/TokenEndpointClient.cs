using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OAuth2Client.ClientAuthentication;
using OAuth2Client.Diagnostics;
using OAuth2Client.Endpoint.Responses;
using OAuth2Client.Grants;
using OAuth2Client.Settings;
using Polly;

namespace OAuth2Client.Endpoint;

/// <summary>
/// Sends token requests: builds the request for a grant, sends it through the resilience pipeline (each attempt reads
/// the whole bounded body, so timeouts cover it), and hands the answer to the response reader. Logs and measures every
/// request; never logs what it sends or receives.
/// </summary>
internal sealed class TokenEndpointClient
{
    private readonly ClientSettings _settings;
    private readonly TokenRequestBuilder _builder;
    private readonly Func<HttpClient> _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<TokenHttpResponse> _retrying;
    private readonly ResiliencePipeline<TokenHttpResponse> _singleAttempt;
    private readonly ClientAssertionSource? _assertions;
    private int _clampLogged;

    /// <summary>Creates the client. <paramref name="httpClient"/> is called once per attempt.</summary>
    public TokenEndpointClient(ClientSettings settings, Func<HttpClient> httpClient, TimeProvider timeProvider, ILogger logger)
    {
        _settings = settings;
        _builder = new TokenRequestBuilder(settings);
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger;
        _retrying = TokenEndpointResilience.Build(settings, timeProvider, logger, allowRetries: true);
        _singleAttempt = TokenEndpointResilience.Build(settings, timeProvider, logger, allowRetries: false);
        _assertions = ClientAssertionSource.Create(settings, timeProvider);
    }

    public ClientSettings Settings => _settings;

    /// <summary>
    /// Requests a token with <paramref name="grant"/>: with retries when the grant allows them and the caller wants them
    /// (a background renewal or a cool-down probe asks once), otherwise in one attempt.
    /// </summary>
    /// <remarks>
    /// The request is built once, unless the client authenticates with a client assertion: then every attempt is built
    /// afresh with a new assertion (new <c>jti</c> and <c>iat</c>), so a server that refuses replays accepts a retry.
    /// </remarks>
    /// <exception cref="OAuth2TokenException">No usable token: the message says why, without credentials.</exception>
    public Task<TokenResponse> RequestTokenAsync(ITokenGrant grant, bool allowRetries, CancellationToken cancellationToken)
        => RequestTokenAsync(grant, null, allowRetries, cancellationToken);

    /// <inheritdoc cref="RequestTokenAsync(ITokenGrant, bool, CancellationToken)"/>
    public async Task<TokenResponse> RequestTokenAsync(ITokenGrant grant, OAuth2TokenParameters? parameters, bool allowRetries, CancellationToken cancellationToken)
    {
        // Every credential of every attempt, so that redaction of whatever the server says covers each assertion sent.
        var credentials = new List<string>();
        TokenRequest? fixedRequest = null;
        if (_assertions is null)
        {
            fixedRequest = _builder.Build(grant, parameters);
            credentials.AddRange(fixedRequest.Credentials);
        }

        var errors = new TokenEndpointErrors(_settings.TokenEndpoint, _settings.RedactedTokenEndpoint, credentials);
        ResiliencePipeline<TokenHttpResponse> pipeline = grant.IsRetriable && allowRetries ? _retrying : _singleAttempt;
        Log.RequestingToken(_logger, _settings.Name, _settings.ClientId, _settings.RedactedTokenEndpoint);

        DateTimeOffset sentAt = _timeProvider.GetUtcNow();
        long started = Stopwatch.GetTimestamp();
        int attempts = 0;
        TokenHttpResponse response;

        // A child of the caller's activity (the API request that needed the token), or of a refresh-ahead's root span.
        using Activity? activity = _settings.Telemetry.StartActivity(ClientTelemetry.TokenRequestSpan, ActivityKind.Client, grant.Name);
        try
        {
            response = await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    if (attempts > 1)
                    {
                        activity?.AddEvent(new ActivityEvent(ClientTelemetry.RetryEvent, tags: new ActivityTagsCollection { { ClientTelemetry.Attempt, attempts } }));
                    }

                    TokenRequest request = fixedRequest ?? await BuildWithAssertionAsync(grant, parameters, credentials, token).ConfigureAwait(false);
                    sentAt = _timeProvider.GetUtcNow();
                    return await SendOnceAsync(request, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TokenEndpointResilience.IsTransient(ex))
        {
            string what = TokenEndpointResilience.IsTimeout(ex)
                ? $"did not answer within {_settings.TokenRequestTimeout.TotalSeconds:0.###} s"
                : $"could not be reached ({ex.Message})";
            OAuth2TokenException failure = errors.Unanswered(what + AttemptsText(attempts), ex);
            Failed(failure.Message, started, grant, activity, attempts, ex);
            throw failure;
        }
        catch (OAuth2TokenException ex)
        {
            Failed(ex.Message, started, grant, activity, attempts, ex);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything else from the transport (a disposed client, an app's handler): still the typed error the
            // providers promise, with the original inside.
            OAuth2TokenException failure = errors.Unanswered($"could not be asked ({ex.GetType().Name})", ex);
            Failed(failure.Message, started, grant, activity, attempts, ex);
            throw failure;
        }

        activity?.SetTag(ClientTelemetry.StatusCode, (int)response.StatusCode);
        try
        {
            TokenResponse token = TokenResponseReader.Read(response, _settings, errors, sentAt);
            if (token.LifetimeClamped && Interlocked.Exchange(ref _clampLogged, 1) == 0)
            {
                Log.TokenLifetimeClamped(_logger, _settings.Name, OAuth2Defaults.MaxTokenLifetime);
            }

            Log.TokenAcquired(_logger, _settings.Name, token.OAuth2Token.ExpiresAt - sentAt);
            _settings.Telemetry.TokenRequested(grant.Name, Stopwatch.GetElapsedTime(started), errorType: null);
            activity?.SetTag(ClientTelemetry.Attempts, attempts);
            return token;
        }
        catch (OAuth2TokenException ex)
        {
            Failed(ex.Message + AttemptsText(attempts), started, grant, activity, attempts, ex);
            throw;
        }
    }

    private async ValueTask<TokenRequest> BuildWithAssertionAsync(ITokenGrant grant, OAuth2TokenParameters? parameters, List<string> credentials, CancellationToken cancellationToken)
    {
        string assertion;
        try
        {
            assertion = await _assertions!.CreateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or OAuth2TokenException))
        {
            throw new OAuth2TokenException(
                $"The client assertion for client '{_settings.ClientId}' could not be created ({ex.GetType().Name}: {Redaction.Quote(ex.Message)}); no token was requested.",
                Redaction.SafeUri(_settings.TokenEndpoint),
                statusCode: null,
                innerException: ex);
        }

        TokenRequest request = _builder.Build(grant, parameters, assertion);
        lock (credentials)
        {
            credentials.AddRange(request.Credentials);
        }

        return request;
    }

    private void Failed(string reason, long started, ITokenGrant grant, Activity? activity, int attempts, Exception exception)
    {
        Log.TokenRequestFailed(_logger, _settings.Name, reason);
        string errorType = ClientTelemetry.ErrorTypeOf(exception);
        _settings.Telemetry.TokenRequested(grant.Name, Stopwatch.GetElapsedTime(started), errorType);
        if (activity is not null)
        {
            if (exception is OAuth2TokenException { StatusCode: { } status })
            {
                activity.SetTag(ClientTelemetry.StatusCode, (int)status);
            }

            activity.SetTag(ClientTelemetry.Attempts, attempts);
            ClientTelemetry.Failed(activity, exception);
        }
    }

    private static string AttemptsText(int attempts) => attempts > 1 ? $" (after {attempts} attempts)" : string.Empty;

    private async ValueTask<TokenHttpResponse> SendOnceAsync(TokenRequest request, CancellationToken cancellationToken)
    {
        using HttpRequestMessage message = request.CreateMessage();
        using HttpResponseMessage response = await _httpClient()
            .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);

        TimeSpan? retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - _timeProvider.GetUtcNow(),
            _ => null,
        };

        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        Uri? location = response.Headers.Location;
        if (response.Content.Headers.ContentLength > OAuth2Defaults.MaxTokenResponseBytes)
        {
            return new TokenHttpResponse(response.StatusCode, mediaType, retryAfter, [], BodyTooLarge: true) { Location = location };
        }

        Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(OAuth2Defaults.MaxTokenResponseBytes + 1);
            try
            {
                int total = 0;
                int read;
                while (total <= OAuth2Defaults.MaxTokenResponseBytes
                    && (read = await stream.ReadAsync(buffer.AsMemory(total, OAuth2Defaults.MaxTokenResponseBytes + 1 - total), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                }

                bool tooLarge = total > OAuth2Defaults.MaxTokenResponseBytes;
                return new TokenHttpResponse(response.StatusCode, mediaType, retryAfter, tooLarge ? [] : buffer.AsSpan(0, total).ToArray(), tooLarge) { Location = location };
            }
            finally
            {
                // Cleared: the buffer held a token.
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }
        }
    }
}
