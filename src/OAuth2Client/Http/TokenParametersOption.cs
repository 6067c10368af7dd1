namespace OAuth2Client.Http;

/// <summary>
/// Where a request's <see cref="OAuth2TokenParameters"/> live: <see cref="HttpRequestMessage.Options"/> under a private
/// key. Reading <c>Options</c> allocates it on a request that has none, so the handler asks only once any request in the
/// process has been given parameters (<see cref="AnySet"/>): an app that never uses them keeps the hot path unchanged.
/// </summary>
internal static class TokenParametersOption
{
    private static readonly HttpRequestOptionsKey<OAuth2TokenParameters> Key = new("OAuth2Client.TokenParameters");
    private static volatile bool s_anySet;

    /// <summary>Whether any request in this process has been given token parameters.</summary>
    public static bool AnySet => s_anySet;

    public static void Set(HttpRequestMessage request, OAuth2TokenParameters parameters)
    {
        request.Options.Set(Key, parameters);
        s_anySet = true;
    }

    public static OAuth2TokenParameters? Get(HttpRequestMessage request)
        => s_anySet && request.Options.TryGetValue(Key, out OAuth2TokenParameters? parameters) ? parameters : null;
}
