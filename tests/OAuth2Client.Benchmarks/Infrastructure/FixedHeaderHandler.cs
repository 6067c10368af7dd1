using System.Net.Http.Headers;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>
/// The floor for an authorizing handler: sets an <c>Authorization</c> value built once, and does nothing else.
/// No real handler can do less and still authorize each request.
/// </summary>
internal sealed class FixedHeaderHandler(AuthenticationHeaderValue authorization) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = authorization;
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = authorization;
        return base.Send(request, cancellationToken);
    }
}
