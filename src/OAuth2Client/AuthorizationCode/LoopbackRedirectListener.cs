using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using OAuth2Client.Diagnostics;

namespace OAuth2Client.AuthorizationCode;

/// <summary>
/// The redirect target of a native app's browser sign-in (RFC 8252 §7.3): a one-shot HTTP listener on
/// <c>http://127.0.0.1:{port}{path}</c>. It serves each connection on its own (browsers open idle speculative
/// connections and ask for <c>/favicon.ico</c>), answers anything but the redirect with 404, and completes on the
/// first GET of its path that carries <c>code</c> or <c>error</c>, after telling the browser it may close the window.
/// </summary>
internal sealed class LoopbackRedirectListener : IDisposable
{
    private const int MaxRequestHeadBytes = 16 * 1024;
    private static readonly TimeSpan ConnectionTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpListener _listener;
    private readonly string _path;
    private readonly ILogger _logger;

    private LoopbackRedirectListener(TcpListener listener, string path, ILogger logger)
    {
        _listener = listener;
        _path = path;
        _logger = logger;
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        RedirectUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{path}"), UriKind.Absolute);
    }

    /// <summary>The redirect URI to register in the authorization request: <c>http://127.0.0.1:{port}{path}</c>.</summary>
    public Uri RedirectUri { get; }

    /// <summary>Starts listening on the loopback interface; port 0 takes a free one.</summary>
    /// <exception cref="SocketException">The port is in use.</exception>
    public static LoopbackRedirectListener Start(string path, int port, ILogger logger)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new LoopbackRedirectListener(listener, path, logger);
    }

    /// <summary>
    /// Waits for the redirect of the sign-in whose <c>state</c> is <paramref name="expectedState"/> and returns the full URI
    /// the browser requested (with its query). A request with another or no <c>state</c> (another process probing the
    /// port, a stale browser tab) is answered with 400 and ignored, so it can neither end nor hijack the sign-in.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was canceled first.</exception>
    public async Task<Uri> WaitForRedirectAsync(string expectedState, CancellationToken cancellationToken)
    {
        _expectedState = expectedState;
        var redirect = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task serving = ServeAsync(redirect, stop.Token);
        try
        {
            return await redirect.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            _listener.Stop();
            await serving.ConfigureAwait(false);
        }
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Stop();

    private string? _expectedState;

    /// <summary>Accepts connections until stopped; never throws.</summary>
    private async Task ServeAsync(TaskCompletionSource<Uri> redirect, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                TcpClient client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
                connections.RemoveAll(c => c.IsCompleted);
                connections.Add(ServeConnectionAsync(client, redirect, cancellationToken));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // InvalidOperationException: the listener was stopped (the redirect arrived) between two accepts.
            if (!cancellationToken.IsCancellationRequested)
            {
                redirect.TrySetException(new OAuth2AuthorizationException("The sign-in listener on the loopback interface stopped before the redirect arrived.", ex));
            }
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    /// <summary>Reads one request, answers it and closes the connection; a broken or idle connection is dropped. Never throws.</summary>
    private async Task ServeConnectionAsync(TcpClient client, TaskCompletionSource<Uri> redirect, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ConnectionTimeout);
                NetworkStream stream = client.GetStream();
                (string method, string target)? requestLine = await ReadRequestLineAsync(stream, timeout.Token).ConfigureAwait(false);
                (int status, string title, string message, Uri? received) = Route(requestLine);
                await WriteResponseAsync(stream, status, title, message, timeout.Token).ConfigureAwait(false);
                if (received is not null)
                {
                    redirect.TrySetResult(received);
                }
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The browser went away, or a speculative connection never sent a request: nothing to answer.
            }
        }
    }

    private (int Status, string Title, string Message, Uri? Received) Route((string Method, string Target)? requestLine)
    {
        if (requestLine is not ({ } method, { } target) || !target.StartsWith('/'))
        {
            return (400, "Bad request", "This address only receives the sign-in redirect.", null);
        }

        int queryStart = target.IndexOf('?', StringComparison.Ordinal);
        string path = queryStart < 0 ? target : target[..queryStart];
        Dictionary<string, string> query = QueryString.Parse(queryStart < 0 ? string.Empty : target[queryStart..]);
        int status = method != "GET" ? 405 : path != _path ? 404 : query.ContainsKey("code") || query.ContainsKey("error") ? 200 : 400;
        if (status == 200 && !string.Equals(query.GetValueOrDefault("state"), _expectedState, StringComparison.Ordinal))
        {
            Log.LoopbackRequestIgnored(_logger, 400, method, path);
            return (400, "Not this sign-in", "This response does not belong to the sign-in in progress and was ignored.", null);
        }

        if (status != 200)
        {
            Log.LoopbackRequestIgnored(_logger, status, method, path);
            return (status, status == 404 ? "Not found" : "Bad request", "This address only receives the sign-in redirect.", null);
        }

        var received = new Uri(RedirectUri.GetLeftPart(UriPartial.Authority) + target, UriKind.Absolute);
        return query.TryGetValue("error", out string? error)
            ? (200, "Sign-in not completed", $"The sign-in was not completed ({Redaction.Quote(error)}). You may close this window and return to the application.", received)
            : (200, "Sign-in received", "The sign-in is complete. You may close this window and return to the application.", received);
    }

    /// <summary>Reads the request head (up to a blank line) and returns its method and target, or null when malformed.</summary>
    private static async Task<(string Method, string Target)?> ReadRequestLineAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[MaxRequestHeadBytes];
        int total = 0;
        while (total < buffer.Length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
            if (buffer.AsSpan(0, total).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        int lineEnd = buffer.AsSpan(0, total).IndexOf("\r\n"u8);
        string[] parts = lineEnd < 0 ? [] : Encoding.ASCII.GetString(buffer, 0, lineEnd).Split(' ');
        return parts.Length == 3 && parts[2].StartsWith("HTTP/", StringComparison.Ordinal) ? (parts[0], parts[1]) : null;
    }

    private static async Task WriteResponseAsync(NetworkStream stream, int status, string title, string message, CancellationToken cancellationToken)
    {
        string reason = status switch { 200 => "OK", 404 => "Not Found", 405 => "Method Not Allowed", _ => "Bad Request" };
        byte[] body = Encoding.UTF8.GetBytes(
            $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title></head>"
            + $"<body><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(message)}</p></body></html>");
        string head = string.Create(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n")
            + "Content-Type: text/html; charset=utf-8\r\n"
            + string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n")
            + "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nContent-Security-Policy: default-src 'none'\r\n"
            + "Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
