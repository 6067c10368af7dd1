using System.Net.Http.Headers;
using OAuth2Client.Diagnostics;

namespace OAuth2Client.Endpoint;

/// <summary>
/// A token request ready to send, built once and sent as many times as the resilience pipeline allows: each attempt
/// gets a fresh <see cref="HttpRequestMessage"/> with the same bytes. <see cref="ToString"/> shows no body and no header.
/// </summary>
internal sealed class TokenRequest
{
    public TokenRequest(
        Uri endpoint,
        AuthenticationHeaderValue? authorization,
        byte[] body,
        string contentType,
        IReadOnlyList<MediaTypeWithQualityHeaderValue> accept,
        IReadOnlyList<string> credentials,
        bool isRetriable)
    {
        Endpoint = endpoint;
        Authorization = authorization;
        Body = body;
        ContentType = contentType;
        Accept = accept;
        Credentials = credentials;
        IsRetriable = isRetriable;
    }

    public Uri Endpoint { get; }

    public AuthenticationHeaderValue? Authorization { get; }

    public byte[] Body { get; }

    public string ContentType { get; }

    public IReadOnlyList<MediaTypeWithQualityHeaderValue> Accept { get; }

    /// <summary>Every credential this request carries, in each form sent: what the redaction of server text removes.</summary>
    public IReadOnlyList<string> Credentials { get; }

    /// <summary><see langword="false"/> when the grant's inputs are single use (a code, a rotating refresh token): one attempt only.</summary>
    public bool IsRetriable { get; }

    /// <summary>A new message for one attempt. The caller disposes it.</summary>
    public HttpRequestMessage CreateMessage()
    {
        var message = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new ByteArrayContent(Body),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType);
        message.Headers.Authorization = Authorization;
        foreach (MediaTypeWithQualityHeaderValue accept in Accept)
        {
            message.Headers.Accept.Add(accept);
        }

        return message;
    }

    public override string ToString() => $"TokenRequest {{ POST {Redaction.RedactUri(Endpoint)}, {ContentType}, {Body.Length} bytes }}";
}
