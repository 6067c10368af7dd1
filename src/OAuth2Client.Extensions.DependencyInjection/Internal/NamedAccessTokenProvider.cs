namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// The keyed <see cref="IAccessTokenProvider"/> for one client name: it asks the registry on every call, so it follows a
/// configuration reload the same way newly built handlers do (the container would otherwise keep the first provider).
/// </summary>
internal sealed class NamedAccessTokenProvider(OAuth2ClientRegistry registry, string clientName) : IAccessTokenProvider
{
    public ValueTask<AccessToken> GetTokenAsync(CancellationToken cancellationToken = default)
        => registry.GetProvider(clientName).GetTokenAsync(cancellationToken);

    public ValueTask<AccessToken> RenewTokenAsync(AccessToken? rejectedToken, CancellationToken cancellationToken = default)
        => registry.GetProvider(clientName).RenewTokenAsync(rejectedToken, cancellationToken);

    public override string ToString() => registry.GetProvider(clientName).ToString();
}
