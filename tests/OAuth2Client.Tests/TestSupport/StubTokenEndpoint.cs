using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using WireMock;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace OAuth2Client.Tests.TestSupport;

/// <summary>
/// A WireMock.Net token endpoint that answers what a test scripts (status sequences, delays, dropped connections, raw
/// bodies) and records every request, with a <see cref="ClientCredentialsTokenProvider"/> on a fake clock with captured
/// logs. For protocol logic (credentials checked, tokens issued and validated) use the vendor emulators instead.
/// </summary>
public sealed class StubTokenEndpoint : IDisposable
{
    public const string TokenPath = "/oauth/token";

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrivals;

    private StubTokenEndpoint(Action<OAuth2ClientOptions>? configure)
    {
        Server = WireMockServer.Start();
        Options = new OAuth2ClientOptions
        {
            TokenEndpoint = new Uri(Server.Url + TokenPath),
            ClientId = Harness.ClientId,
            ClientSecret = Harness.ClientSecret,
            MaxTokenRequestRetries = 0,
        };
        configure?.Invoke(Options);
        LoggerFactory = TestLogs.CreateFactory(Logs);
        Provider = new ClientCredentialsTokenProvider(Options, httpClient: null, Time, LoggerFactory);
    }

    public WireMockServer Server { get; }

    public OAuth2ClientOptions Options { get; }

    public FakeTimeProvider Time { get; } = TestClock.Create();

    public FakeLogCollector Logs { get; } = new();

    public ILoggerFactory LoggerFactory { get; }

    public ClientCredentialsTokenProvider Provider { get; }

    /// <summary>Every request the token endpoint received, in order.</summary>
    public IReadOnlyList<ILogEntry> TokenRequests => [.. Server.FindLogEntries(Request.Create().WithPath(TokenPath))];

    /// <summary>Token requests answered so far (WireMock logs a request once it has answered it).</summary>
    public int TokenRequestCount => TokenRequests.Count;

    /// <summary>Token requests that reached <see cref="HoldRequests"/>, answered or not.</summary>
    public int Arrivals => Volatile.Read(ref _arrivals);

    /// <summary>Starts a stub that answers nothing until <see cref="Respond"/> or <see cref="RespondInSequence"/> scripts it.</summary>
    public static StubTokenEndpoint Start(Action<OAuth2ClientOptions>? configure = null) => new(configure);

    /// <summary>A 200 with a JSON token response.</summary>
    public static IResponseBuilder Token(string accessToken, int expiresIn = 3600)
        => Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody($"{{\"access_token\":\"{accessToken}\",\"token_type\":\"Bearer\",\"expires_in\":{expiresIn}}}");

    /// <summary>A response with a status, an optional content type and a raw body.</summary>
    public static IResponseBuilder Raw(int status, string? contentType = null, string body = "")
    {
        IResponseBuilder response = Response.Create().WithStatusCode(status).WithBody(body);
        return contentType is null ? response : response.WithHeader("Content-Type", contentType);
    }

    /// <summary>Answers every token request with <paramref name="response"/>.</summary>
    public void Respond(IResponseBuilder response)
        => Server.Given(Request.Create().WithPath(TokenPath).UsingPost()).RespondWith(response);

    /// <summary>Answers the n-th token request with the n-th response; the last one answers every request after it.</summary>
    public void RespondInSequence(params IResponseBuilder[] responses)
    {
        for (int i = 0; i < responses.Length; i++)
        {
            IRespondWithAProvider step = Server.Given(Request.Create().WithPath(TokenPath).UsingPost()).InScenario("sequence");
            if (i > 0)
            {
                step = step.WhenStateIs("step" + i);
            }

            if (i < responses.Length - 1)
            {
                step = step.WillSetStateTo("step" + (i + 1));
            }

            step.RespondWith(responses[i]);
        }
    }

    /// <summary>
    /// Holds every token request (counted in <see cref="Arrivals"/> as it arrives) until <see cref="Release"/> or
    /// disposal, then answers it with a token.
    /// </summary>
    public void HoldRequests(string accessToken = "tok-held")
        => Server.Given(Request.Create().WithPath(TokenPath).UsingPost()).RespondWith(Response.Create().WithCallback(async _ =>
        {
            Interlocked.Increment(ref _arrivals);
            await _release.Task.ConfigureAwait(false);
            var message = new ResponseMessage
            {
                StatusCode = 200,
                BodyData = new BodyData
                {
                    BodyAsString = $"{{\"access_token\":\"{accessToken}\",\"token_type\":\"Bearer\",\"expires_in\":3600}}",
                    DetectedBodyType = BodyType.String,
                },
            };
            message.AddHeader("Content-Type", "application/json");
            return message;
        }));

    /// <summary>Lets the requests <see cref="HoldRequests"/> holds be answered.</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>
    /// Asserts that neither the secret, nor a Basic credential the client sent, nor a client assertion it sent (whole or
    /// its signature), nor <paramref name="extraSecrets"/> appears in the text.
    /// </summary>
    public void AssertNoSecrets(string? text, params string[] extraSecrets)
    {
        if (text is null)
        {
            return;
        }

        Assert.DoesNotContain(Harness.ClientSecret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Harness.ClientSecret), text, StringComparison.OrdinalIgnoreCase);
        IEnumerable<string> basics = TokenRequests
            .Select(e => e.RequestMessage.Headers is { } headers && headers.TryGetValue("Authorization", out var values) ? values.FirstOrDefault() : null)
            .OfType<string>()
            .Where(v => v.StartsWith("Basic ", StringComparison.Ordinal))
            .Select(v => v[6..]);
        IEnumerable<string> assertions = TokenRequests
            .SelectMany(e => (e.RequestMessage.Body ?? string.Empty).Split('&'))
            .Where(f => f.StartsWith("client_assertion=", StringComparison.Ordinal))
            .Select(f => Uri.UnescapeDataString(f["client_assertion=".Length..]))
            .SelectMany(a => new[] { a, a[(a.LastIndexOf('.') + 1)..] });
        foreach (string secret in basics.Concat(assertions).Concat(extraSecrets))
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        Release();
        Provider.Dispose();
        LoggerFactory.Dispose();
        Server.Stop();
        Server.Dispose();
    }
}
