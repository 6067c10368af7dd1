using System.Globalization;

namespace OAuth2Client.Caching;

/// <summary>
/// What the token source remembers of failed renewals: the last error, how many failed in a row, and when the next
/// attempt may start (UTC ticks of the client's clock). Immutable; replaced as a whole.
/// </summary>
internal sealed record FailureState(Exception LastError, int ConsecutiveFailures, long NextAttemptAtTicks)
{
    /// <summary>
    /// The error a caller gets during the cool-down when no valid token exists: the last error's details, and when the
    /// next attempt will be. The last error is its inner exception.
    /// </summary>
    public OAuth2TokenException FailFast(long nowTicks)
    {
        var next = new DateTimeOffset(NextAttemptAtTicks, TimeSpan.Zero);
        double seconds = Math.Max(0, TimeSpan.FromTicks(NextAttemptAtTicks - nowTicks).TotalSeconds);
        string pause = string.Create(
            CultureInfo.InvariantCulture,
            $" Token requests are paused after {ConsecutiveFailures} failure(s) in a row; the next attempt is at {next:O} (in {seconds:0.###} s).");
        return LastError switch
        {
            // Still "sign in again": an app catches this type to start a sign-in.
            OAuth2SignInRequiredException signIn => new OAuth2SignInRequiredException(signIn.Message + pause, signIn),
            OAuth2TokenException last => new OAuth2TokenException(last.Message + pause, last.TokenEndpoint, last.StatusCode, last.Error, last.ErrorDescription, last.ErrorUri, last),
            _ => new OAuth2TokenException($"No access token could be obtained ({LastError.GetType().Name}).{pause}", LastError),
        };
    }
}
