using System.Globalization;

namespace OAuth2Client.Caching;

/// <summary>
/// What the token source remembers of failed renewals: the last error, how many failed in a row, and when the next
/// attempt may start (UTC ticks of the client's clock). Immutable; replaced as a whole.
/// </summary>
internal sealed record FailureState(OAuth2TokenException LastError, int ConsecutiveFailures, long NextAttemptAtTicks)
{
    /// <summary>
    /// The error a caller gets during the cool-down when no valid token exists: the last error's details, and when the
    /// next attempt will be. The last error is its inner exception.
    /// </summary>
    public OAuth2TokenException FailFast(long nowTicks)
    {
        var next = new DateTimeOffset(NextAttemptAtTicks, TimeSpan.Zero);
        double seconds = Math.Max(0, TimeSpan.FromTicks(NextAttemptAtTicks - nowTicks).TotalSeconds);
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{LastError.Message} Token requests are paused after {ConsecutiveFailures} failure(s) in a row; the next attempt is at {next:O} (in {seconds:0.###} s).");
        return new OAuth2TokenException(message, LastError.TokenEndpoint, LastError.StatusCode, LastError.Error, LastError.ErrorDescription, LastError.ErrorUri, LastError);
    }
}
