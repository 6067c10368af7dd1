namespace OAuth2Client;

/// <summary>
/// Token parameters one request asks for instead of the client's configured ones: its own scope, resource
/// (RFC 8707) or audience. Each distinct set gets its own cached token, with the same single flight, refresh-ahead
/// and 401 renewal as the client's default token. Attach it with
/// <see cref="OAuth2HttpRequestMessageExtensions.SetOAuth2TokenParameters"/> or
/// <see cref="OAuth2HttpRequestMessageExtensions.SetOAuth2Scope"/>.
/// </summary>
/// <remarks>
/// A client keeps tokens for at most <see cref="OAuth2ClientOptions.MaxTokenParameterSets"/> sets; see there for what
/// happens beyond. Values are compared exactly (ordinal); <see langword="null"/> keeps the client's configured value.
/// </remarks>
public sealed record OAuth2TokenParameters
{
    /// <summary>Gets the scope to request instead of <see cref="OAuth2ClientOptions.Scope"/> (sent in the profile's scope field).</summary>
    public string? Scope { get; init; }

    /// <summary>Gets the <c>resource</c> to request (RFC 8707: the URI of the API the token is for).</summary>
    public string? Resource { get; init; }

    /// <summary>Gets the <c>audience</c> to request (used by some servers instead of <c>resource</c>).</summary>
    public string? Audience { get; init; }

    /// <summary>Gets whether no parameter is set.</summary>
    public bool IsEmpty => Scope is null && Resource is null && Audience is null;
}
