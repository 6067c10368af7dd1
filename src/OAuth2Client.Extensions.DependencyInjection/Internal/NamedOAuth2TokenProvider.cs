namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// The keyed <see cref="IOAuth2TokenProvider"/> for one client name: it asks the registry on every call, so it follows a
/// configuration reload the same way newly built handlers do (the container would otherwise keep the first provider).
/// </summary>
internal sealed class NamedOAuth2TokenProvider(OAuth2ClientRegistry registry, string clientName) : IOAuth2ParameterizedTokenProvider
{
    public IOAuth2TokenProvider WithParameters(OAuth2TokenParameters parameters)
        => registry.GetProvider(clientName).WithParameters(parameters);

    public ValueTask<OAuth2Token> GetTokenAsync(CancellationToken cancellationToken = default)
        => registry.GetProvider(clientName).GetTokenAsync(cancellationToken);

    public ValueTask<OAuth2Token> RenewTokenAsync(OAuth2Token? rejectedToken, CancellationToken cancellationToken = default)
        => registry.GetProvider(clientName).RenewTokenAsync(rejectedToken, cancellationToken);

    public override string ToString() => registry.GetProvider(clientName).ToString();
}
