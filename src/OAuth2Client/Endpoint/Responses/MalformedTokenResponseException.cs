namespace OAuth2Client.Endpoint.Responses;

/// <summary>
/// A format reader's finding that a body is not what it should be. Its message is the problem alone ("its body is not
/// valid JSON"); the response reader turns it into an <see cref="OAuth2TokenException"/> that also names the endpoint
/// and the status. Never leaves the endpoint folder.
/// </summary>
internal sealed class MalformedTokenResponseException : Exception
{
    public MalformedTokenResponseException(string problem, Exception? innerException = null)
        : base(problem, innerException)
    {
    }
}
