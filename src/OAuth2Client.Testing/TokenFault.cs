using System.Globalization;

namespace OAuth2Client.Testing;

/// <summary>
/// What happens to a token request that <see cref="EmulatedOAuthServer.FailNextTokenRequests"/> picked: a 503, a 429 with
/// <c>Retry-After</c>, a dropped connection, a late answer, or any canned reply.
/// </summary>
public sealed class TokenFault
{
    private readonly string _description;

    private TokenFault(string description, TokenReply? reply = null, bool dropsConnection = false, TimeSpan latency = default)
    {
        _description = description;
        Reply = reply;
        DropsConnection = dropsConnection;
        Latency = latency;
    }

    /// <summary>The reply sent instead of the normal answer; <see langword="null"/> when the fault sends none of its own.</summary>
    public TokenReply? Reply { get; }

    /// <summary>Whether the connection is dropped (reset) without an HTTP response.</summary>
    public bool DropsConnection { get; }

    /// <summary>How long the server waits before answering (or dropping the connection).</summary>
    public TimeSpan Latency { get; }

    /// <summary><c>503 Service Unavailable</c> with a plain-text body, as a server in maintenance or a load balancer with no healthy backend answers.</summary>
    /// <returns>The fault.</returns>
    public static TokenFault ServiceUnavailable()
        => new("503 Service Unavailable", new TokenReply(503, "text/plain", "Service Unavailable"));

    /// <summary><c>429 Too Many Requests</c> with <c>Retry-After</c> in whole seconds (rounded up).</summary>
    /// <param name="retryAfter">The wait the server asks for; zero or more.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="retryAfter"/> is negative.</exception>
    public static TokenFault TooManyRequests(TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        string seconds = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return new(
            $"429 Too Many Requests, Retry-After: {seconds}",
            new TokenReply(429, "text/plain", "Too Many Requests") { Headers = new Dictionary<string, string> { ["Retry-After"] = seconds } });
    }

    /// <summary>The connection is reset without a response: the client sees an <see cref="HttpRequestException"/>.</summary>
    /// <returns>The fault.</returns>
    public static TokenFault DropConnection() => new("dropped connection", dropsConnection: true);

    /// <summary>The server waits <paramref name="delay"/>, then answers normally (a slow token endpoint; combine with the client's timeout).</summary>
    /// <param name="delay">The wait; more than zero.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is zero or negative.</exception>
    public static TokenFault Delay(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        return new($"answer after {delay.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms", latency: delay);
    }

    /// <summary>Any status code with an empty body (for example 500 or 502).</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not between 100 and 599.</exception>
    public static TokenFault Status(int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new(statusCode.ToString(CultureInfo.InvariantCulture), new TokenReply(statusCode, null, string.Empty));
    }

    /// <summary>A canned reply of your own (an HTML error page, a malformed token response…).</summary>
    /// <param name="reply">The reply.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reply"/> is null.</exception>
    public static TokenFault Respond(TokenReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return new($"{reply.StatusCode.ToString(CultureInfo.InvariantCulture)} canned reply", reply);
    }

    /// <summary>What the fault does, e.g. <c>429 Too Many Requests, Retry-After: 2</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => _description;
}
