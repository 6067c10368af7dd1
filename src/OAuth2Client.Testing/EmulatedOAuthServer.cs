using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OAuth2Client.Testing;

/// <summary>
/// A token endpoint and a protected API on Kestrel at <c>127.0.0.1</c> with a free port, speaking one vendor's dialect
/// strictly (see <see cref="Vendors"/>). It counts and records every request so tests can assert what went over the wire,
/// and it can be scripted: token lifetime (<see cref="TokenLifetimeSeconds"/>), revocation (<see cref="RevokeAllTokens"/>),
/// injected failures (<see cref="FailNextTokenRequests"/>), wrong credentials (<see cref="ClientSecret"/>).
/// </summary>
/// <example>
/// <code>
/// await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords);
/// // point the app at server.BaseAddress with server.ClientId and server.ClientSecret
/// </code>
/// </example>
public sealed partial class EmulatedOAuthServer : IAsyncDisposable
{
    /// <summary>The client id a server started without credentials accepts.</summary>
    public const string DefaultClientId = "test-client";

    /// <summary>The client secret a server started without credentials accepts.</summary>
    public const string DefaultClientSecret = "test-secret";

    private const int MaxBody = 1024 * 1024;
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, IssuedToken> _issued = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RecordedRequest> _tokenRequests = new();
    private readonly ConcurrentQueue<RecordedRequest> _apiRequests = new();
    private readonly ConcurrentQueue<string> _everIssued = new();
    private readonly ConcurrentQueue<TokenFault> _tokenFaults = new();
    private readonly CancellationTokenSource _stopping = new();
    private RecordedRequest? _lastTokenRequest;
    private RecordedRequest? _lastApiRequest;
    private int _tokenRequestCount;
    private int _apiRequestCount;
    private int _tokenSequence;

    private EmulatedOAuthServer(WebApplication app, TokenEndpointBehavior behavior, string clientId, string clientSecret)
    {
        _app = app;
        Behavior = behavior;
        ApiResponder = behavior.Api ?? EchoAsync;
        UnauthorizedResponder = behavior.Unauthorized ?? (_ => Task.CompletedTask);
        ClientId = clientId;
        ClientSecret = clientSecret;
        BaseAddress = null!;
    }

    /// <summary>The dialect this server speaks.</summary>
    public TokenEndpointBehavior Behavior { get; }

    /// <summary>The only client id accepted.</summary>
    public string ClientId { get; }

    /// <summary>
    /// The only client secret accepted. Set it to another value to make the client's credentials wrong (a rotated or
    /// revoked secret): token requests then fail the way the vendor reports bad credentials, typically 401 <c>invalid_client</c>.
    /// </summary>
    public string ClientSecret { get; set; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>The token endpoint's absolute URI.</summary>
    public Uri TokenEndpoint => new(BaseAddress, Behavior.TokenPath);

    /// <summary>Base of the protected API (the behaviour's <see cref="TokenEndpointBehavior.ApiPath"/>).</summary>
    public Uri ApiAddress => new(BaseAddress, Behavior.ApiPath);

    /// <summary>
    /// The token lifetime written into <c>expires_in</c> of tokens issued from now on, in seconds (default 3600);
    /// <see langword="null"/> leaves <c>expires_in</c> out. The server itself does not expire tokens: use
    /// <see cref="RevokeAllTokens"/> to make the API refuse them.
    /// </summary>
    public int? TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Token requests received, whatever their outcome (failed, injected faults and dropped ones included).</summary>
    public int TokenRequestCount => Volatile.Read(ref _tokenRequestCount);

    /// <summary>API requests received, whatever their outcome (401s included).</summary>
    public int ApiRequestCount => Volatile.Read(ref _apiRequestCount);

    /// <summary>Token requests, in arrival order. Their <see cref="RecordedRequest.ToString"/> redacts credentials.</summary>
    public IReadOnlyList<RecordedRequest> TokenRequests => [.. _tokenRequests];

    /// <summary>API requests, in arrival order. Their <see cref="RecordedRequest.ToString"/> redacts credentials.</summary>
    public IReadOnlyList<RecordedRequest> ApiRequests => [.. _apiRequests];

    /// <summary>The most recent token request, or <see langword="null"/> before the first one.</summary>
    public RecordedRequest? LastTokenRequest => Volatile.Read(ref _lastTokenRequest);

    /// <summary>The most recent API request, or <see langword="null"/> before the first one.</summary>
    public RecordedRequest? LastApiRequest => Volatile.Read(ref _lastApiRequest);

    /// <summary>Injected token-endpoint faults not yet used (see <see cref="FailNextTokenRequests"/>).</summary>
    public int PendingTokenFaults => _tokenFaults.Count;

    /// <summary>When set, the token endpoint answers with this instead of its normal behaviour (fault injection). Return null to behave normally.</summary>
    public Func<RecordedRequest, int, TokenReply?>? TokenReplyOverride { get; set; }

    /// <summary>When set, token responses wait for this task (lets tests line up many concurrent callers).</summary>
    public Task? TokenResponseGate { get; set; }

    /// <summary>Delay before every token response (simulates a slow token endpoint); for the next few only, use <see cref="TokenFault.Delay"/>.</summary>
    public TimeSpan TokenLatency { get; set; }

    /// <summary>When true, the API answers 401 to every request, even with a valid token.</summary>
    public bool RejectAllApiCalls { get; set; }

    /// <summary>Answers authorized API calls; the default is the vendor's (see <see cref="TokenEndpointBehavior.Api"/>) or an echo of method, path and the body's SHA-256 as JSON.</summary>
    public Func<HttpContext, RecordedRequest, Task> ApiResponder { get; set; }

    /// <summary>Writes the API's 401 answer; the status and <c>WWW-Authenticate: Bearer error="invalid_token"</c> are already set; the default body is the vendor's (empty for most).</summary>
    public Func<HttpContext, Task> UnauthorizedResponder { get; set; }

    /// <summary>Every token this server ever issued, revoked or not (for leak checks).</summary>
    public IReadOnlyList<string> IssuedTokens => [.. _everIssued];

    /// <summary>Tokens issued and still valid.</summary>
    public int ValidTokenCount => _issued.Count;

    /// <summary>Starts a server on a free loopback port that accepts <see cref="DefaultClientId"/> and <see cref="DefaultClientSecret"/>.</summary>
    /// <param name="behavior">The dialect, usually one of <see cref="Vendors"/>.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started server; dispose it to stop it.</returns>
    public static Task<EmulatedOAuthServer> StartAsync(TokenEndpointBehavior behavior, CancellationToken cancellationToken = default)
        => StartAsync(behavior, DefaultClientId, DefaultClientSecret, cancellationToken);

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="behavior">The dialect, usually one of <see cref="Vendors"/>.</param>
    /// <param name="clientId">The only client id accepted.</param>
    /// <param name="clientSecret">The only client secret accepted (changeable later through <see cref="ClientSecret"/>).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The started server; dispose it to stop it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="behavior"/>, <paramref name="clientId"/> or <paramref name="clientSecret"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="clientId"/> is empty.</exception>
    public static Task<EmulatedOAuthServer> StartAsync(TokenEndpointBehavior behavior, string clientId, string clientSecret, CancellationToken cancellationToken = default)
        => StartOnPortAsync(behavior, clientId, clientSecret, 0, cancellationToken);

    /// <summary>Starts a server on a loopback port; 0 picks a free one.</summary>
    internal static async Task<EmulatedOAuthServer> StartOnPortAsync(TokenEndpointBehavior behavior, string clientId, string clientSecret, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(behavior);
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentNullException.ThrowIfNull(clientSecret);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = MaxBody;
        });
        builder.Services.AddLogging(l => l.ClearProviders());
        WebApplication app = builder.Build();
        var server = new EmulatedOAuthServer(app, behavior, clientId, clientSecret);
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>
    /// Makes every issued token invalid, as a server restart or revocation would: the API answers 401 to the token a
    /// client holds, and a client that renews after a 401 gets a new one.
    /// </summary>
    public void RevokeAllTokens() => _issued.Clear();

    /// <summary>Makes one token invalid.</summary>
    /// <param name="token">The access token.</param>
    /// <returns>Whether the token was valid.</returns>
    public bool Revoke(string token) => _issued.TryRemove(token, out _);

    /// <summary>Whether the token was issued by this server and is still valid.</summary>
    /// <param name="token">The access token.</param>
    /// <returns>Whether the API accepts it.</returns>
    public bool IsValid(string token) => _issued.ContainsKey(token);

    /// <summary>The scope a valid token was issued for.</summary>
    /// <param name="token">The access token.</param>
    /// <returns>The scope, or <see langword="null"/> for none or for an unknown token.</returns>
    public string? ScopeOf(string token) => _issued.TryGetValue(token, out IssuedToken? issued) ? issued.Scope : null;

    /// <summary>
    /// Makes the next <paramref name="count"/> token requests fail with <paramref name="fault"/> (503, 429 with
    /// <c>Retry-After</c>, a dropped connection, a canned reply) or answer late (<see cref="TokenFault.Delay"/>); later
    /// requests behave normally again. Calls add up in order: <c>FailNextTokenRequests(1, TokenFault.DropConnection());
    /// FailNextTokenRequests(1, TokenFault.ServiceUnavailable());</c> drops the next request and answers 503 to the one after.
    /// </summary>
    /// <param name="count">How many requests the fault applies to; at least 1.</param>
    /// <param name="fault">What happens to each of them.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is zero or negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is null.</exception>
    public void FailNextTokenRequests(int count, TokenFault fault)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentNullException.ThrowIfNull(fault);
        for (int i = 0; i < count; i++)
        {
            _tokenFaults.Enqueue(fault);
        }
    }

    /// <summary>Drops the faults <see cref="FailNextTokenRequests"/> queued and that have not been used yet.</summary>
    public void ClearTokenFaults() => _tokenFaults.Clear();

    /// <summary>Forgets the recorded requests and sets both request counters to zero (issued tokens stay valid).</summary>
    public void ClearRecordedRequests()
    {
        _tokenRequests.Clear();
        _apiRequests.Clear();
        Interlocked.Exchange(ref _tokenRequestCount, 0);
        Interlocked.Exchange(ref _apiRequestCount, 0);
        Volatile.Write(ref _lastTokenRequest, null);
        Volatile.Write(ref _lastApiRequest, null);
    }

    /// <summary>The vendor and address, e.g. <c>Oracle ORDS emulator at http://127.0.0.1:41234/</c> (never a credential).</summary>
    /// <returns>A description for test output.</returns>
    public override string ToString() => $"{Behavior.Name} emulator at {BaseAddress}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(deadline.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        RecordedRequest request = await RecordAsync(context.Request).ConfigureAwait(false);
        if (context.Request.Path.Equals(AuthorizationCode.AuthorizePath, StringComparison.Ordinal))
        {
            await AuthorizationCode.AuthorizeAsync(context).ConfigureAwait(false); // authorization code + PKCE: EmulatedOAuthServer.AuthorizationCode.cs
            return;
        }

        if (context.Request.Path.Equals(Behavior.TokenPath, StringComparison.Ordinal))
        {
            int attempt = Interlocked.Increment(ref _tokenRequestCount);
            _tokenRequests.Enqueue(request);
            Volatile.Write(ref _lastTokenRequest, request);
            if (TokenResponseGate is { } gate)
            {
                await gate.WaitAsync(_stopping.Token).ConfigureAwait(false);
            }

            if (TokenLatency > TimeSpan.Zero)
            {
                await Task.Delay(TokenLatency, _stopping.Token).ConfigureAwait(false);
            }

            if (_tokenFaults.TryDequeue(out TokenFault? fault))
            {
                if (fault.Latency > TimeSpan.Zero)
                {
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
                    await Task.Delay(fault.Latency, linked.Token).ConfigureAwait(false);
                }

                if (fault.DropsConnection)
                {
                    context.Abort();
                    return;
                }

                if (fault.Reply is { } canned)
                {
                    await WriteAsync(context.Response, canned).ConfigureAwait(false);
                    return;
                }
            }

            TokenReply reply = TokenReplyOverride?.Invoke(request, attempt) ?? RedeemCodeOrRefresh(context.Request, request) ?? IssueOrRefuse(context.Request, request);
            await WriteAsync(context.Response, reply).ConfigureAwait(false);
            return;
        }

        Interlocked.Increment(ref _apiRequestCount);
        _apiRequests.Enqueue(request);
        Volatile.Write(ref _lastApiRequest, request);
        if (RejectAllApiCalls || request.BearerToken is not { } token || !_issued.ContainsKey(token)
            || !request.Authorization!.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await UnauthorizedResponder(context).ConfigureAwait(false);
            return;
        }

        await ApiResponder(context, request).ConfigureAwait(false);
    }

    private static async Task<RecordedRequest> RecordAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        return new RecordedRequest(
            request.Method,
            request.Path + request.QueryString,
            request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
            request.ContentType,
            request.Headers.Accept.Count > 0 ? request.Headers.Accept.ToString() : null,
            buffer.ToArray());
    }

    private static async Task WriteAsync(HttpResponse response, TokenReply reply)
    {
        response.StatusCode = reply.StatusCode;
        foreach (KeyValuePair<string, string> header in reply.Headers)
        {
            response.Headers[header.Key] = header.Value;
        }

        response.Headers.CacheControl = "no-store";
        if (reply.ContentType is not null)
        {
            response.ContentType = reply.ContentType;
        }

        if (reply.BodyBytes is { } bytes)
        {
            await response.Body.WriteAsync(bytes).ConfigureAwait(false);
        }
        else if (reply.Body.Length > 0)
        {
            await response.WriteAsync(reply.Body).ConfigureAwait(false);
        }
    }

    private static Task EchoAsync(HttpContext context, RecordedRequest request)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["method"] = request.Method,
            ["path"] = request.Path,
            ["bodySha256"] = request.BodySha256,
        }));
    }

    private sealed record IssuedToken(string? Scope);
}
