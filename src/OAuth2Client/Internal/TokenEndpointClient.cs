using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OAuth2Client.Internal;

/// <summary>
/// Builds token requests from the settings (the only reader of the profile-derived parts), sends them through the
/// resilience pipeline, and parses the answer into a token or a typed error.
/// </summary>
internal sealed class TokenEndpointClient
{
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptXml = new("application/xml");
    private static readonly MediaTypeWithQualityHeaderValue AcceptAnyXml = new("application/xml", 0.9);

    private readonly ClientSettings _settings;
    private readonly Func<HttpClient> _httpClient;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly AuthenticationHeaderValue? _basicCredentials;
    private readonly ResiliencePipeline<TokenHttpResponse> _pipeline;
    private readonly ResiliencePipeline<TokenHttpResponse> _singleAttempt;

    /// <summary>Creates the client. <paramref name="httpClient"/> is called once per attempt, so a client from <c>IHttpClientFactory</c> stays fresh.</summary>
    public TokenEndpointClient(ClientSettings settings, Func<HttpClient> httpClient, TimeProvider timeProvider, ILogger logger)
    {
        _settings = settings;
        _httpClient = httpClient;
        _timeProvider = timeProvider;
        _logger = logger;
        _basicCredentials = BuildBasicCredentials(settings);
        _pipeline = BuildPipeline(settings, timeProvider, logger, allowRetries: true);
        _singleAttempt = BuildPipeline(settings, timeProvider, logger, allowRetries: false);
    }

    public ClientSettings Settings => _settings;

    /// <summary>
    /// Requests a token with the given grant fields; client authentication, scope and extra parameters are added here.
    /// Grants whose inputs are single use (an authorization code, a rotating refresh token) pass
    /// <paramref name="allowRetries"/> = <see langword="false"/>: one attempt, with the timeout.
    /// </summary>
    public async Task<TokenResponse> RequestTokenAsync(IEnumerable<KeyValuePair<string, string>> grantFields, CancellationToken cancellationToken, bool allowRetries = true)
    {
        ResiliencePipeline<TokenHttpResponse> pipeline = allowRetries ? _pipeline : _singleAttempt;
        (byte[] body, string contentType) = BuildBody(grantFields);
        Log.RequestingToken(_logger, _settings.ClientId, _settings.RedactedTokenEndpoint);

        DateTimeOffset sentAt = _timeProvider.GetUtcNow();
        long started = Stopwatch.GetTimestamp();
        int attempts = 0;
        TokenHttpResponse response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async (token) =>
                {
                    attempts++;
                    sentAt = _timeProvider.GetUtcNow();
                    return await SendOnceAsync(body, contentType, token).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutRejectedException or TaskCanceledException { InnerException: TimeoutException })
        {
            string what = ex is TimeoutRejectedException or TaskCanceledException
                ? $"did not answer within {_settings.TokenRequestTimeout.TotalSeconds:0.###} s"
                : $"could not be reached ({ex.Message})";
            var failure = new OAuth2TokenException(
                $"The token endpoint {_settings.RedactedTokenEndpoint} {what}{AttemptsText(attempts)}.",
                UriRedaction.RedactToUri(_settings.TokenEndpoint),
                statusCode: null,
                innerException: ex);
            Log.TokenRequestFailed(_logger, _settings.ClientId, failure.Message);
            OAuth2Metrics.TokenRequested(_settings.ClientId, success: false, Stopwatch.GetElapsedTime(started));
            throw failure;
        }

        try
        {
            TokenResponse token = TokenResponseParser.Parse(response, _settings, sentAt);
            Log.TokenAcquired(_logger, _settings.ClientId, token.AccessToken.ExpiresAt - sentAt);
            OAuth2Metrics.TokenRequested(_settings.ClientId, success: true, Stopwatch.GetElapsedTime(started));
            return token;
        }
        catch (OAuth2TokenException ex)
        {
            Log.TokenRequestFailed(_logger, _settings.ClientId, ex.Message + AttemptsText(attempts));
            OAuth2Metrics.TokenRequested(_settings.ClientId, success: false, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    private static string AttemptsText(int attempts) => attempts > 1 ? $" (after {attempts} attempts)" : string.Empty;

    private async ValueTask<TokenHttpResponse> SendOnceAsync(byte[] body, string contentType, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.TokenEndpoint);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Authorization = _basicCredentials;
        switch (_settings.ResponseFormat)
        {
            case TokenResponseFormat.Json:
                request.Headers.Accept.Add(AcceptJson);
                break;
            case TokenResponseFormat.Xml:
                request.Headers.Accept.Add(AcceptXml);
                break;
            default:
                request.Headers.Accept.Add(AcceptJson);
                request.Headers.Accept.Add(AcceptAnyXml);
                break;
        }

        using HttpResponseMessage response = await _httpClient()
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)
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
                return new TokenHttpResponse(response.StatusCode, mediaType, retryAfter, tooLarge ? [] : buffer[..total], tooLarge) { Location = location };
            }
            finally
            {
                // Cleared: the buffer held a token.
                ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            }
        }
    }

    private (byte[] Body, string ContentType) BuildBody(IEnumerable<KeyValuePair<string, string>> grantFields)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (KeyValuePair<string, string> field in grantFields)
        {
            // A profile that sends no grant_type (CentraSite) means: no grant_type for client credentials. Other grants
            // always name themselves, or a server could answer a code exchange with a client token.
            if (field.Key != "grant_type" || _settings.SendGrantType || field.Value != "client_credentials")
            {
                fields.Add(field);
            }
        }

        if (_settings.ClientAuthentication == ClientAuthenticationStyle.RequestBody || _settings.SendClientIdInBody)
        {
            AddIfMissing(fields, "client_id", _settings.ClientId);
        }

        if (_settings.ClientAuthentication == ClientAuthenticationStyle.RequestBody)
        {
            if (_settings.ClientSecret is not null)
            {
                AddIfMissing(fields, "client_secret", _settings.ClientSecret);
            }
        }

        if (_settings.Scope is not null)
        {
            AddIfMissing(fields, _settings.ScopeParameterName, _settings.Scope);
        }

        foreach (KeyValuePair<string, string> parameter in _settings.AdditionalParameters)
        {
            AddIfMissing(fields, parameter.Key, parameter.Value);
        }

        if (_settings.RequestFormat == TokenRequestFormat.Json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (KeyValuePair<string, string> field in fields)
                {
                    writer.WriteString(field.Key, field.Value);
                }

                writer.WriteEndObject();
            }

            return (buffer.ToArray(), "application/json");
        }

        return (FormEncoding.EncodeBody(fields), "application/x-www-form-urlencoded");
    }

    private static void AddIfMissing(List<KeyValuePair<string, string>> fields, string key, string value)
    {
        if (!fields.Exists(f => f.Key == key))
        {
            fields.Add(new KeyValuePair<string, string>(key, value));
        }
    }

    private static AuthenticationHeaderValue? BuildBasicCredentials(ClientSettings settings)
    {
        // A public client (authorization code + PKCE without a secret) identifies itself with client_id in the body only.
        string? pair = settings.ClientSecret is null ? null : settings.ClientAuthentication switch
        {
            ClientAuthenticationStyle.BasicHeader => FormEncoding.Encode(settings.ClientId) + ":" + FormEncoding.Encode(settings.ClientSecret ?? string.Empty),
            ClientAuthenticationStyle.BasicHeaderRaw => settings.ClientId + ":" + (settings.ClientSecret ?? string.Empty),
            _ => null,
        };

        return pair is null ? null : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
    }

    private static ResiliencePipeline<TokenHttpResponse> BuildPipeline(ClientSettings settings, TimeProvider timeProvider, ILogger logger, bool allowRetries)
    {
        var builder = new ResiliencePipelineBuilder<TokenHttpResponse> { TimeProvider = timeProvider };
        if (allowRetries && settings.MaxTokenRequestRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<TokenHttpResponse>
            {
                MaxRetryAttempts = settings.MaxTokenRequestRetries,
                Delay = settings.TokenRequestRetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException or IOException or TimeoutRejectedException } => true,
                    { Exception: TaskCanceledException { InnerException: TimeoutException } } => true,
                    { Result: { } result } => result.IsTransientFailure,
                    _ => false,
                }),
                DelayGenerator = static args => ValueTask.FromResult<TimeSpan?>(
                    args.Outcome.Result?.RetryAfter is { } retryAfter
                        ? retryAfter < TimeSpan.Zero ? TimeSpan.Zero : retryAfter > OAuth2Defaults.MaxRetryAfter ? OAuth2Defaults.MaxRetryAfter : retryAfter
                        : null),
                OnRetry = args =>
                {
                    string reason = args.Outcome.Result is { } result
                        ? $"HTTP {(int)result.StatusCode}"
                        : args.Outcome.Exception?.GetType().Name ?? "unknown";
                    Log.RetryingTokenRequest(logger, settings.ClientId, reason, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            });
        }

        builder.AddTimeout(settings.TokenRequestTimeout);
        return builder.Build();
    }
}
