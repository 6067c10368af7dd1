using System.Net;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>
/// The innermost handler of the in-memory benchmarks: answers every request with the same 200 response, synchronously,
/// from a completed task created once. It allocates nothing per request, so what a benchmark measures is the handlers
/// above it plus the request object the benchmark creates.
/// </summary>
internal sealed class StaticResponseHandler : HttpMessageHandler
{
    // Shared and never disposed: callers must not dispose the responses they get.
    private static readonly HttpResponseMessage Ok = new(HttpStatusCode.OK);
    private static readonly Task<HttpResponseMessage> OkTask = Task.FromResult(Ok);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => OkTask;

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) => Ok;
}
