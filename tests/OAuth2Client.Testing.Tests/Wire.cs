using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OAuth2Client.Testing.Tests;

/// <summary>Requests in each vendor's dialect, written independently of OAuth2Client, so the emulator is tested on its own.</summary>
internal static class Wire
{
    internal static readonly HttpClient Http = new();

    internal static TokenEndpointBehavior VendorNamed(string vendor) => vendor switch
    {
        "PxPlus" => Vendors.PxPlus,
        "CentraSite" => Vendors.CentraSite,
        "WebMethodsApiGateway" => Vendors.WebMethodsApiGateway,
        "Ords" => Vendors.Ords,
        _ => throw new ArgumentOutOfRangeException(nameof(vendor)),
    };

    /// <summary>A client-credentials token request in the dialect the server's vendor documents (raw Basic; form, or JSON for API Gateway, or none for CentraSite).</summary>
    internal static async Task<HttpResponseMessage> RequestTokenAsync(EmulatedOAuthServer server, HttpClient? client = null, HttpContent? body = null, string? secret = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, server.TokenEndpoint);
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(server.ClientId + ":" + (secret ?? server.ClientSecret))));
        request.Content = body ?? (server.Behavior.Body switch
        {
            RequiredBody.Json => new StringContent("{\"grant_type\":\"client_credentials\"}", Encoding.UTF8, "application/json"),
            RequiredBody.Form => new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
            _ => null,
        });
        return await (client ?? Http).SendAsync(request);
    }

    internal static async Task<string> GetTokenAsync(EmulatedOAuthServer server)
    {
        using HttpResponseMessage response = await RequestTokenAsync(server);
        response.EnsureSuccessStatusCode();
        return (await ReadJsonAsync(response)).GetProperty("access_token").GetString()!;
    }

    internal static AuthenticationHeaderValue BasicRaw(EmulatedOAuthServer server)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(server.ClientId + ":" + server.ClientSecret)));

    internal static async Task<HttpStatusCode> CallApiAsync(EmulatedOAuthServer server, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.ApiAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using HttpResponseMessage response = await Http.SendAsync(request);
        return response.StatusCode;
    }

    internal static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
        => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
