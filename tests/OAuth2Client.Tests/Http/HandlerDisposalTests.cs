using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.Http;

/// <summary>Disposing a handler (and so its provider) while requests wait for a token names what the caller knows.</summary>
public sealed class HandlerDisposalTests
{
    [Fact]
    public async Task SendAsync_ProviderDisposedWhileWaitingForToken_ObjectDisposedNamesTheProviderNotInternals()
    {
        await using Harness h = await Harness.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Server.TokenResponseGate = gate.Task;

        Task<HttpResponseMessage> waiting = h.Api.GetAsync("orders");
        await Eventually.WaitUntilAsync(() => h.Server.TokenRequestCount == 1);
        h.Provider.Dispose();

        ObjectDisposedException inFlight = await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting);
        ObjectDisposedException later = await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Api.GetAsync("orders"));
        gate.SetResult();

        foreach (ObjectDisposedException ex in new[] { inFlight, later })
        {
            Assert.Equal("OAuth2 token provider", ex.ObjectName);
            Assert.Contains($"client '{Harness.ClientId}'", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("TokenSource", ex.Message, StringComparison.Ordinal);
        }
    }
}
