using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using OAuth2Client.AuthorizationCode;
using OAuth2Client.Diagnostics;
using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.AuthorizationCode;

public sealed class LoopbackRedirectListenerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly HttpClient _browser = new();

    [Fact]
    public void Start_AnyPort_RedirectUriIsLoopbackIpWithFreePortAndPath()
    {
        using var listener = LoopbackRedirectListener.Start("/callback", 0, NullLogger.Instance);

        Assert.Equal("http", listener.RedirectUri.Scheme);
        Assert.Equal("127.0.0.1", listener.RedirectUri.Host);
        Assert.InRange(listener.RedirectUri.Port, 1, 65535);
        Assert.Equal("/callback", listener.RedirectUri.AbsolutePath);
    }

    [Fact]
    public async Task WaitForRedirectAsync_RedirectWithCode_AnswersClosePageAndReturnsFullUri()
    {
        (Uri redirectUri, HttpResponseMessage page, string html, Uri received) = await RedirectOnceAsync("/callback?code=abc&state=xyz");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("You may close this window", html, StringComparison.Ordinal);
        Assert.Equal(redirectUri.AbsoluteUri + "?code=abc&state=xyz", received.AbsoluteUri);
    }

    [Fact]
    public async Task WaitForRedirectAsync_FaviconOtherPathsAndBareCallback_AnsweredAndIgnored()
    {
        var logs = new FakeLogCollector();
        using var listener = LoopbackRedirectListener.Start("/callback", 0, new FakeLogger(logs, "listener"));
        Task<Uri> waiting = listener.WaitForRedirectAsync("xyz", CancellationToken.None);

        using HttpResponseMessage favicon = await GetAsync(listener, "/favicon.ico");
        using HttpResponseMessage bare = await GetAsync(listener, "/callback");
        using HttpResponseMessage post = await _browser.PostAsync(new Uri(listener.RedirectUri, "/callback?code=abc"), new StringContent("x"));
        Assert.False(waiting.IsCompleted);
        using HttpResponseMessage page = await GetAsync(listener, "/callback?code=abc&state=xyz");
        Uri received = await waiting.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.NotFound, favicon.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("code=abc", received.Query, StringComparison.Ordinal);
        Assert.Equal(3, logs.CountOf(Log.EventIds.LoopbackRequestIgnored));
        Assert.DoesNotContain("code=abc", logs.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForRedirectAsync_IdleSpeculativeConnectionAndGarbage_DoNotBlockRedirect()
    {
        using var listener = LoopbackRedirectListener.Start("/callback", 0, NullLogger.Instance);
        Task<Uri> waiting = listener.WaitForRedirectAsync("xyz", CancellationToken.None);
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, listener.RedirectUri.Port);
        using var garbage = new TcpClient();
        await garbage.ConnectAsync(IPAddress.Loopback, listener.RedirectUri.Port);
        await garbage.GetStream().WriteAsync(Encoding.ASCII.GetBytes("NONSENSE\r\n\r\n"));

        using HttpResponseMessage page = await GetAsync(listener, "/callback?code=abc&state=xyz").WaitAsync(Patience);
        await waiting.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string garbageAnswer = await new StreamReader(garbage.GetStream()).ReadToEndAsync().WaitAsync(Patience);
        Assert.StartsWith("HTTP/1.1 400", garbageAnswer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForRedirectAsync_ErrorRedirect_AnswersEncodedErrorPage()
    {
        (_, HttpResponseMessage page, string html, Uri received) = await RedirectOnceAsync("/callback?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&state=xyz");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("not completed", html, StringComparison.Ordinal);
        Assert.Contains("You may close this window", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("error=", received.Query, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/callback?code=stolen&state=guessed")]
    [InlineData("/callback?code=stolen")]
    [InlineData("/callback?error=access_denied")]
    public async Task WaitForRedirectAsync_ForeignState_AnswersBadRequestAndKeepsWaiting(string forged)
    {
        using var listener = LoopbackRedirectListener.Start("/callback", 0, NullLogger.Instance);
        Task<Uri> waiting = listener.WaitForRedirectAsync("xyz", CancellationToken.None);

        using HttpResponseMessage rejected = await GetAsync(listener, forged);
        Assert.False(waiting.IsCompleted);
        using HttpResponseMessage page = await GetAsync(listener, "/callback?code=real&state=xyz");
        Uri received = await waiting.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("does not belong to the sign-in in progress", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("code=real", received.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForRedirectAsync_Canceled_ThrowsAndStopsListening()
    {
        using var listener = LoopbackRedirectListener.Start("/callback", 0, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        Task<Uri> waiting = listener.WaitForRedirectAsync("xyz", cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await AssertNotListeningAsync(listener);
    }

    [Fact]
    public async Task WaitForRedirectAsync_AfterRedirect_StopsListening()
    {
        using var listener = LoopbackRedirectListener.Start("/callback", 0, NullLogger.Instance);
        Task<Uri> waiting = listener.WaitForRedirectAsync("xyz", CancellationToken.None);
        using (await GetAsync(listener, "/callback?code=abc&state=xyz"))
        {
        }

        await waiting.WaitAsync(Patience);

        await AssertNotListeningAsync(listener);
    }

    public void Dispose() => _browser.Dispose();

    /// <summary>Starts a listener, sends the browser to it once, and returns what the browser and the listener saw.</summary>
    private async Task<(Uri RedirectUri, HttpResponseMessage Page, string Html, Uri Received)> RedirectOnceAsync(string pathAndQuery)
    {
        using var listener = LoopbackRedirectListener.Start("/callback", 0, NullLogger.Instance);
        Task<Uri> waiting = listener.WaitForRedirectAsync("xyz", CancellationToken.None);
        HttpResponseMessage page = await GetAsync(listener, pathAndQuery);
        return (listener.RedirectUri, page, await page.Content.ReadAsStringAsync(), await waiting.WaitAsync(Patience));
    }

    private Task<HttpResponseMessage> GetAsync(LoopbackRedirectListener listener, string pathAndQuery)
        => _browser.GetAsync(new Uri(listener.RedirectUri, pathAndQuery));

    private static async Task AssertNotListeningAsync(LoopbackRedirectListener listener)
    {
        using var late = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, listener.RedirectUri.Port));
    }

    [Fact]
    public async Task WaitForRedirectAsync_ListenerStoppedBeforeAccept_ReportsTypedErrorInsteadOfThrowing()
    {
        // Regression: when the redirect had already stopped the listener, the next accept threw "Not listening"
        // (InvalidOperationException) out of the sign-in. Stopping it up front makes that moment deterministic.
        var listener = LoopbackRedirectListener.Start("/callback", 0, NullLogger.Instance);
        listener.Dispose();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        OAuth2AuthorizationException ex = await Assert.ThrowsAsync<OAuth2AuthorizationException>(() => listener.WaitForRedirectAsync("xyz", guard.Token));

        Assert.Contains("stopped before the redirect arrived", ex.Message, StringComparison.Ordinal);
        Assert.False(guard.IsCancellationRequested);
    }
}
