using OAuth2Client.Tests.TestSupport;

namespace OAuth2Client.Tests.AuthorizationCode;

/// <summary>How <see cref="LoopbackSignInOptions.OpenBrowser"/> and the redirect race: the redirect wins.</summary>
public sealed class SignInBrowserLauncherTests
{
    /// <summary>
    /// Regression: a launcher that returns only after the redirect has arrived (one that waits for the browser to
    /// close, say) made the sign-in wait for it and then time out, discarding the completed redirect.
    /// </summary>
    [Fact]
    public async Task SignInAsync_LauncherReturnsOnlyWhenCanceled_RedirectStillCompletesSignIn()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        var launcherCanceled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var signIn = new LoopbackSignInOptions
        {
            Timeout = TimeSpan.FromMinutes(5),
            OpenBrowser = async (url, cancellationToken) =>
            {
                await h.FollowAsync(url, cancellationToken); // the browser completes the redirect...
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken); // ...and the launcher never returns by itself
                }
                finally
                {
                    launcherCanceled.TrySetResult();
                }
            },
        };

        OAuth2Token token = await h.Provider.SignInAsync(signIn).WaitAsync(TimeSpan.FromSeconds(30)); // a guard: before the fix it hung

        Assert.True(h.Server.IsValid(token.Value));
        await launcherCanceled.Task.WaitAsync(TimeSpan.FromSeconds(30)); // and the launcher is told to stop
    }

    [Fact]
    public async Task SignInAsync_LauncherFailsBeforeRedirect_SignInFailsWithItsError()
    {
        await using AuthorizationCodeHarness h = await AuthorizationCodeHarness.StartAsync();
        var signIn = new LoopbackSignInOptions { OpenBrowser = (_, _) => throw new InvalidOperationException("no display") };

        InvalidOperationException ex = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Provider.SignInAsync(signIn));

        Assert.Equal("no display", ex.Message);
    }
}
