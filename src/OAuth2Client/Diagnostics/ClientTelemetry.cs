using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace OAuth2Client.Diagnostics;

/// <summary>
/// One client's spans and measurements, with its attributes computed once: the registered name, the client id, the
/// token endpoint's host and port, the profile. Nothing here ever sees a secret, a token, a code or a query string.
/// </summary>
internal sealed class ClientTelemetry
{
    public const string SourceName = OAuth2Metrics.MeterName;

    // Span names (OpenTelemetry style: a namespace and a low-cardinality operation).
    public const string TokenRequestSpan = "oauth2.token_request";
    public const string RefreshAheadSpan = "oauth2.refresh_ahead";
    public const string SignInSpan = "oauth2.sign_in";
    public const string RefreshSpan = "oauth2.refresh";
    public const string DistributedCacheReadSpan = "oauth2.distributed_cache.read";
    public const string UnauthorizedRenewalSpan = "oauth2.unauthorized_renewal";
    public const string RetryEvent = "oauth2.retry";

    // Attributes: the OpenTelemetry semantic conventions' where they exist, the oauth2.* namespace otherwise.
    public const string ClientName = "oauth2.client.name";
    public const string ClientIdAttribute = "oauth2.client_id";
    public const string GrantType = "oauth2.grant_type";
    public const string ProfileAttribute = "oauth2.profile";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string StatusCode = "http.response.status_code";
    public const string ErrorType = "error.type";
    public const string CacheLevel = "oauth2.cache.level";
    public const string CacheResult = "oauth2.cache.result";
    public const string RenewalResult = "oauth2.renewal.result";
    public const string Attempt = "oauth2.attempt";
    public const string Attempts = "oauth2.attempts";

    /// <summary>The process-wide source; version = the assembly's.</summary>
    public static readonly ActivitySource Source = new(SourceName, OAuth2Metrics.Version);

    private readonly TagList _l1Hit;
    private readonly TagList _l1Miss;

    public ClientTelemetry(string? name, string clientId, string profile, Uri tokenEndpoint, IMeterFactory? meterFactory)
    {
        Name = string.IsNullOrWhiteSpace(name) ? clientId : name;
        ClientId = clientId;
        Profile = profile;
        Host = tokenEndpoint.Host;
        Port = tokenEndpoint.Port;
        Metrics = OAuth2Metrics.For(meterFactory);
        _l1Hit = Client(CacheLevel, "l1", CacheResult, "hit");
        _l1Miss = Client(CacheLevel, "l1", CacheResult, "miss");
    }

    /// <summary>The registered name, or the client id when the client has none.</summary>
    public string Name { get; }

    public string ClientId { get; }

    public string Profile { get; }

    public string Host { get; }

    public int Port { get; }

    public OAuth2Metrics Metrics { get; }

    /// <summary>A telemetry for internal uses that know only the client's name (tests that build a source alone).</summary>
    public static ClientTelemetry ForName(string clientName) => new(clientName, clientName, "Rfc6749", new Uri("https://localhost/"), null);

    /// <summary>The cached-token path: a counter only, with prebuilt attributes, nothing allocated when nobody listens.</summary>
    public void L1Hit()
    {
        if (Metrics.CacheLookups.Enabled)
        {
            Metrics.CacheLookups.Add(1, in _l1Hit);
        }
    }

    public void L1Miss()
    {
        if (Metrics.CacheLookups.Enabled)
        {
            Metrics.CacheLookups.Add(1, in _l1Miss);
        }
    }

    public void L2Lookup(bool hit)
    {
        if (Metrics.CacheLookups.Enabled)
        {
            Metrics.CacheLookups.Add(1, Client(CacheLevel, "l2", CacheResult, hit ? "hit" : "miss"));
        }
    }

    public void RefreshAheadStarted() => Metrics.RefreshAheadRuns.Add(1, Client());

    public void CooldownStarted(Exception exception) => Metrics.Cooldowns.Add(1, Client(ErrorType, ErrorTypeOf(exception)));

    public void UnauthorizedRenewal(bool renewed) => Metrics.UnauthorizedRenewals.Add(1, Client(RenewalResult, renewed ? "renewed" : "refused"));

    public void TokenRequested(string grantType, TimeSpan duration, string? errorType)
    {
        TagList tags = Client(GrantType, grantType);
        tags.Add(ServerAddress, Host);
        tags.Add(ServerPort, Port);
        if (errorType is not null)
        {
            tags.Add(ErrorType, errorType);
        }

        Metrics.TokenRequestDuration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A span for this client, a child of the current activity, or <see langword="null"/> when nobody listens.</summary>
    public Activity? StartActivity(string name, ActivityKind kind = ActivityKind.Internal, string? grantType = null)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity(name, kind);
        if (activity is { IsAllDataRequested: true })
        {
            SetClientTags(activity, grantType);
        }

        return activity;
    }

    /// <summary>A root span linked to <paramref name="trigger"/> (what crossed the refresh point), for work nobody waits for.</summary>
    public Activity? StartRootActivity(string name, ActivityContext trigger)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? previous = Activity.Current;
        Activity.Current = null;
        try
        {
            ActivityLink[]? links = trigger == default ? null : [new ActivityLink(trigger)];
            Activity? activity = Source.StartActivity(name, ActivityKind.Internal, parentContext: default, tags: null, links: links);
            if (activity is { IsAllDataRequested: true })
            {
                SetClientTags(activity, grantType: null);
            }

            return activity;
        }
        finally
        {
            if (Activity.Current is null)
            {
                Activity.Current = previous;
            }
        }
    }

    /// <summary>Marks a span failed with the error's type only: an OAuth2 error code, a status, or an exception type; never a description.</summary>
    public static void Failed(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        string errorType = ErrorTypeOf(exception);
        activity.SetTag(ErrorType, errorType);
        activity.SetStatus(ActivityStatusCode.Error, errorType);
    }

    /// <summary>
    /// The <c>error.type</c> of a failure: the OAuth2 error code the server sent when it is a registered one (RFC 6749,
    /// 6750, 8628, 8693, 9449, OpenID Connect), <c>_OTHER</c> for any other code (a server may echo anything there),
    /// else the HTTP status code, else the exception's type.
    /// </summary>
    public static string ErrorTypeOf(Exception exception) => exception switch
    {
        OAuth2TokenException { Error: { Length: > 0 } error } => RegisteredErrors.Contains(error) ? error : OtherError,
        OAuth2TokenException { StatusCode: { } status } => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture),
        OAuth2TokenException { InnerException: { } inner } => inner.GetType().FullName ?? inner.GetType().Name,
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    /// <summary>The OpenTelemetry value for an error type outside the known set.</summary>
    public const string OtherError = "_OTHER";

    private static readonly HashSet<string> RegisteredErrors = new(StringComparer.Ordinal)
    {
        "invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope",
        "access_denied", "unsupported_response_type", "server_error", "temporarily_unavailable", "invalid_token",
        "insufficient_scope", "authorization_pending", "slow_down", "expired_token", "invalid_target", "invalid_dpop_proof",
        "use_dpop_nonce", "interaction_required", "login_required", "consent_required", "account_selection_required",
        "invalid_request_uri", "invalid_request_object", "request_not_supported", "request_uri_not_supported",
    };

    private void SetClientTags(Activity activity, string? grantType)
    {
        activity.SetTag(ClientName, Name);
        activity.SetTag(ClientIdAttribute, ClientId);
        activity.SetTag(ProfileAttribute, Profile);
        if (grantType is not null)
        {
            activity.SetTag(GrantType, grantType);
            activity.SetTag(ServerAddress, Host);
            activity.SetTag(ServerPort, Port);
        }
    }

    private TagList Client() => new() { { ClientName, Name }, { ClientIdAttribute, ClientId } };

    private TagList Client(string key, object? value)
    {
        TagList tags = Client();
        tags.Add(key, value);
        return tags;
    }

    private TagList Client(string key1, object? value1, string key2, object? value2)
    {
        TagList tags = Client(key1, value1);
        tags.Add(key2, value2);
        return tags;
    }
}
