using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace OAuth2Client.Demo;

/// <summary>Runs the five steps against one vendor and prints them as a table.</summary>
internal sealed class Report(Vendor vendor, IHttpClientFactory factory, ManualClock clock)
{
    /// <summary>One span per step (with --verbose): the parent of the token requests and 401 renewals made during it.</summary>
    public static readonly ActivitySource Steps = new("OAuth2Client.Demo");

    public int Failures { get; private set; }

    public async Task RunAsync()
    {
        var server = vendor.Server!;
        HttpClient api = factory.CreateClient(vendor.Key);
        Console.WriteLine();
        Console.WriteLine($"{vendor.Title}  ({server.BaseAddress}, profile {vendor.Profile.Name}, token endpoint {server.Behavior.TokenPath})");
        WriteRow("step", "result", "tokens", "api", "elapsed");

        await StepAsync("1. first call fetches a token", () => CallAsync(api), expectTokens: 1, expectApi: 1);
        await StepAsync("2. three more calls reuse it", async () =>
        {
            string last = string.Empty;
            for (int i = 0; i < 3; i++)
            {
                last = await CallAsync(api);
            }

            return last;
        }, expectTokens: 1, expectApi: 4);

        clock.Advance(TimeSpan.FromHours(1));
        await StepAsync("3. one hour later: expired, renewed", () => CallAsync(api), expectTokens: 2, expectApi: 5);

        // A token younger than MinTokenAgeForRenewal (5 s) is not renewed after a 401; this one is a minute old.
        clock.Advance(TimeSpan.FromMinutes(1));
        server.RevokeAllTokens();
        await StepAsync("4. a minute on, revoked: 401, renew, retry", () => CallAsync(api), expectTokens: 3, expectApi: 7);

        await StepAsync("5. wrong secret: typed error, no API call", async () =>
        {
            try
            {
                await factory.CreateClient(vendor.Key + "-wrong-secret").GetAsync(vendor.ApiPath);
                throw new InvalidOperationException("expected OAuth2TokenException");
            }
            catch (OAuth2TokenException ex)
            {
                return $"{nameof(OAuth2TokenException)}: HTTP {(int?)ex.StatusCode} {ex.Error ?? "(no error code)"}";
            }
        }, expectTokens: 4, expectApi: 7);
    }

    private async Task<string> CallAsync(HttpClient api)
    {
        using HttpResponseMessage response = await api.GetAsync(vendor.ApiPath);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK
            ? $"200 {response.Content.Headers.ContentType?.MediaType} {body.Length} bytes"
            : throw new InvalidOperationException($"API answered {(int)response.StatusCode}");
    }

    private async Task StepAsync(string title, Func<Task<string>> action, int expectTokens, int expectApi)
    {
        var server = vendor.Server!;
        var watch = Stopwatch.StartNew();
        using Activity? span = Steps.StartActivity($"{vendor.Key}: {title}");
        string result;
        try
        {
            result = await action();
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or OAuth2TokenException)
        {
            result = "FAILED: " + ex.Message;
        }

        bool ok = !result.StartsWith("FAILED", StringComparison.Ordinal) && server.TokenRequestCount == expectTokens && server.ApiRequestCount == expectApi;
        if (!ok)
        {
            Failures++;
            result = $"{result} (expected {expectTokens} token / {expectApi} API requests)";
        }

        WriteRow(title, (ok ? "ok    " : "FAIL  ") + Truncate(result, 40), server.TokenRequestCount.ToString(CultureInfo.InvariantCulture), server.ApiRequestCount.ToString(CultureInfo.InvariantCulture), $"{watch.ElapsedMilliseconds} ms");
    }

    private static void WriteRow(string step, string result, string tokens, string api, string elapsed)
        => Console.WriteLine($"  {step,-44} {result,-46} {tokens,6} {api,4} {elapsed,8}");

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
