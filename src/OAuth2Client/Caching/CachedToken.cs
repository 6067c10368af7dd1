namespace OAuth2Client.Caching;

/// <summary>
/// A token and the three instants of its life, as UTC ticks of the client's clock: when it was issued, when it should be
/// renewed (the refresh point, jittered), and until when it may still be sent (its expiry less a margin for transit).
/// <see cref="RefreshAtTickCount"/> is the <c>Environment.TickCount64</c> value of the refresh point, for the
/// system clock's fast check. Never prints the token.
/// </summary>
internal sealed record CachedToken(OAuth2Token Token, long IssuedAtTicks, long RefreshAtTicks, long UsableUntilTicks, long RefreshAtTickCount)
{
    public override string ToString() => $"CachedToken {{ {Token} }}";
}
