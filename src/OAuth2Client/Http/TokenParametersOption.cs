namespace OAuth2Client.Http;

/// <summary>
/// Where a request's <see cref="OAuth2TokenParameters"/> live: <c>HttpRequestMessage.Options</c> under a private
/// key. Reading <c>Options</c> allocates it on a request that has none, so the handler asks only once any request in the
/// process has been given parameters (<see cref="AnySet"/>): an app that never uses them keeps the hot path unchanged.
/// </summary>
/// <remarks>netstandard2.0 has no <c>Options</c>; the parameters live in <c>Properties</c> there, under the same key.</remarks>
internal static class TokenParametersOption
{
#if NETSTANDARD2_0
    private const string Key = "OAuth2Client.TokenParameters";
#else
    private static readonly HttpRequestOptionsKey<OAuth2TokenParameters> Key = new("OAuth2Client.TokenParameters");
#endif
    private static volatile bool s_anySet;

    /// <summary>Whether any request in this process has been given token parameters.</summary>
    public static bool AnySet => s_anySet;

    public static void Set(HttpRequestMessage request, OAuth2TokenParameters parameters)
    {
#if NETSTANDARD2_0
        request.Properties[Key] = parameters;
#else
        request.Options.Set(Key, parameters);
#endif
        s_anySet = true;
    }

    public static OAuth2TokenParameters? Get(HttpRequestMessage request)
#if NETSTANDARD2_0
        => s_anySet && request.Properties.TryGetValue(Key, out object? value) ? value as OAuth2TokenParameters : null;
#else
        => s_anySet && request.Options.TryGetValue(Key, out OAuth2TokenParameters? parameters) ? parameters : null;
#endif
}
