using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OAuth2Client.Diagnostics;

namespace OAuth2Client.AuthorizationCode;

/// <summary>Opens a URL in the user's default browser, and writes it out for the user when no browser can be started (SSH, containers, headless).</summary>
internal static class SystemBrowser
{
    public static Task OpenAsync(Uri url, TextWriter output, ILogger logger)
    {
        string? failure = HasDisplay() ? TryStart(url) : "no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)";
        if (failure is null)
        {
            output.WriteLine($"A browser window was opened to sign in. If it did not appear, open this address: {url.AbsoluteUri}");
        }
        else
        {
            Log.BrowserNotStarted(logger, failure);
            output.WriteLine($"To sign in, open this address in a browser on this machine: {url.AbsoluteUri}");
        }

        output.Flush();
        return Task.CompletedTask;
    }

    private static string? TryStart(Uri url)
    {
        try
        {
            using Process? process = Process.Start(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true });
            return null;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or PlatformNotSupportedException or FileNotFoundException)
        {
            return ex.GetType().Name;
        }
    }

    /// <summary>On Linux and the BSDs a browser needs X11 or Wayland; an SSH session usually has neither.</summary>
    private static bool HasDisplay()
        => OperatingSystem.IsWindows() || OperatingSystem.IsMacOS()
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));
}
