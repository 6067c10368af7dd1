namespace OAuth2Client.Tests.TestSupport;

/// <summary>Waits for a condition that another thread makes true (a request reaching a server), never for a fixed time.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test after 30 s.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>Polls an asynchronous <paramref name="condition"/> until it holds; fails the test after 30 s.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
