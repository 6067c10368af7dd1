namespace OAuth2Client;

/// <summary>
/// How <see cref="AuthorizationCodeTokenProvider.SignInAsync(LoopbackSignInOptions, CancellationToken)"/> runs a browser
/// sign-in for a console or desktop app (RFC 8252): it listens on <c>http://127.0.0.1:{port}{CallbackPath}</c>, opens
/// the authorization URL in the browser, and waits for the redirect.
/// </summary>
/// <remarks>
/// The authorization server must accept this redirect URI. RFC 8252 §7.3 asks servers to accept any port for loopback
/// redirect URIs; register <c>http://127.0.0.1/callback</c> (or your <see cref="CallbackPath"/>), or set a fixed
/// <see cref="Port"/> and register that exact URI when the server compares ports.
/// </remarks>
public sealed class LoopbackSignInOptions
{
    internal const string DefaultCallbackPath = "/callback";
    internal static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the path of the loopback redirect URI; it must start with <c>/</c>.</summary>
    /// <value>The default value is <c>/callback</c>.</value>
    public string CallbackPath { get; set; } = DefaultCallbackPath;

    /// <summary>Gets or sets the loopback port to listen on; 0 takes a free port chosen by the operating system.</summary>
    /// <value>The default value is 0.</value>
    public int Port { get; set; }

    /// <summary>Gets or sets how long to wait for the user to finish signing in.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>
    /// Gets or sets what opens the authorization URL. The task should complete once the URL is handed over (the sign-in
    /// waits for the redirect separately).
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: the system's default browser, with the URL also written to
    /// <see cref="Output"/> so that the user can open it by hand when no browser can be started (for example over SSH).
    /// </value>
    public Func<Uri, CancellationToken, Task>? OpenBrowser { get; set; }

    /// <summary>Gets or sets where the default browser launcher writes the authorization URL for the user.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="Console.Error"/>.</value>
    public TextWriter? Output { get; set; }

    /// <summary>Returns every problem with the options, each naming the option and the fix; empty when valid.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(CallbackPath) || CallbackPath[0] != '/' || CallbackPath.IndexOfAny(['?', '#', ' ']) >= 0)
        {
            errors.Add($"CallbackPath must be a path starting with '/' without query or spaces (it is '{CallbackPath}'), for example {DefaultCallbackPath}.");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add($"Port must be between 0 (any free port) and 65535 (it is {Port}).");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"Timeout must be positive (it is {Timeout}); the default is {DefaultTimeout}.");
        }

        return errors;
    }
}
