using System.Net;

namespace OAuth2Client.Benchmarks.Infrastructure;

/// <summary>
/// An in-memory innermost handler that, like a real network handler, completes asynchronously: it yields once and then
/// answers 200 with a shared response. Its own cost (one async state machine per request) is the same for every chain
/// above it.
/// </summary>
internal sealed class YieldingResponseHandler : HttpMessageHandler
{
    // Shared and never disposed: callers must not dispose the responses they get.
    private static readonly HttpResponseMessage Ok = new(HttpStatusCode.OK);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return Ok;
    }
}
