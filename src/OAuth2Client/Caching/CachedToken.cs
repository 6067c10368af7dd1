namespace OAuth2Client.Caching;

/// <summary>
/// A token with the instant it should be replaced, as UTC ticks of the client's clock and as the
/// <see cref="Environment.TickCount64"/> value of the same moment (the system clock's fast check). Never prints the token.
/// </summary>
internal sealed record CachedToken(AccessToken Token, long RefreshAtTicks, long RefreshAtTickCount)
{
    public override string ToString() => $"CachedToken {{ {Token} }}";
}
