namespace OAuth2Client.Endpoint;

/// <summary>A parsed, validated token response. <see cref="ToString"/> never shows the refresh token.</summary>
internal sealed record TokenResponse(OAuth2Token OAuth2Token, string? RefreshToken, DateTimeOffset IssuedAt)
{
    /// <summary>The server's <c>expires_in</c> exceeded the longest lifetime trusted and was clamped to it.</summary>
    public bool LifetimeClamped { get; init; }

    public override string ToString() => $"TokenResponse {{ {OAuth2Token}, RefreshToken = {(RefreshToken is null ? "(none)" : "(redacted)")} }}";
}
