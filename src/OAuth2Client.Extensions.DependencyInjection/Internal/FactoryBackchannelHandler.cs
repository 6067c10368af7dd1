namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// The token endpoint's transport under dependency injection: each token request goes through the handler chain that
/// <see cref="IHttpMessageHandlerFactory"/> currently holds for the client's backchannel name, so the factory's handler
/// rotation (DNS changes), logging and the app's own handlers apply, while the token provider keeps one
/// <see cref="HttpClient"/>.
/// </summary>
internal sealed class FactoryBackchannelHandler(IHttpMessageHandlerFactory handlers, string name) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The factory owns the handler's lifetime; the invoker must not dispose it.
        using var invoker = new HttpMessageInvoker(handlers.CreateHandler(name), disposeHandler: false);
        return invoker.SendAsync(request, cancellationToken);
    }
}
