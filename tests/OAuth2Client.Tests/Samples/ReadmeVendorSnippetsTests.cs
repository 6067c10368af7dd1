using OAuth2Client.Testing;

namespace OAuth2Client.Tests.Samples;

/// <summary>
/// The README's per-vendor snippets, verbatim except that the example hosts are the emulators' addresses.
/// If a snippet here changes, change the README too.
/// </summary>
public sealed class ReadmeVendorSnippetsTests
{
    private const string Id = "readme-client";
    private const string Secret = "readme-secret";

    [Fact]
    public async Task PxPlusSnippet_RunsQuery()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.PxPlus, Id, Secret);
        (Uri erp, string pxplusClientId, string pxplusSecret) = (server.BaseAddress, Id, Secret);

        var pxplus = new HttpClient(new BearerTokenHandler(new OAuth2ClientOptions
        {
            Profile = TokenEndpointProfile.PxPlus,
            ServerAddress = erp,
            ClientId = pxplusClientId,
            ClientSecret = pxplusSecret,
        })) { BaseAddress = new Uri(erp, "services/") };
        byte[] csv = await pxplus.GetByteArrayAsync("service.pxp?id=myQuery");

        Assert.Equal(Vendors.PxPlusQueryCsv, csv);
        pxplus.Dispose();
    }

    [Fact]
    public async Task CentraSiteSnippet_GetsXmlTokenForVirtualService()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.CentraSite, Id, Secret);
        (Uri mediatorHost, string centraSiteClientId, string centraSiteSecret) = (server.BaseAddress, Id, Secret);

        var mediator = new HttpClient(new BearerTokenHandler(new OAuth2ClientOptions
        {
            Profile = TokenEndpointProfile.CentraSite,
            ServerAddress = mediatorHost,
            ClientId = centraSiteClientId,
            ClientSecret = centraSiteSecret,
            Scope = "OrdersVS",
            ResponseFormat = TokenResponseFormat.Xml,
        })) { BaseAddress = new Uri(mediatorHost, "ws/") };
        string order = await mediator.GetStringAsync("OrdersVS/orders");

        Assert.Contains("/ws/OrdersVS/orders", order, StringComparison.Ordinal);
        Assert.Equal("application/xml", server.TokenRequests[0].Accept);
        Assert.Equal("OrdersVS", server.ScopeOf(server.IssuedTokens[0]));
        mediator.Dispose();
    }

    [Fact]
    public async Task OrdsSnippet_ListsEmployees()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.Ords, Id, Secret);
        (Uri db, string ordsClientId, string ordsSecret) = (server.BaseAddress, Id, Secret);

        var ords = new HttpClient(new BearerTokenHandler(new OAuth2ClientOptions
        {
            Profile = TokenEndpointProfile.Ords,
            ServerAddress = db,
            Schema = "hr",
            ClientId = ordsClientId,
            ClientSecret = ordsSecret,
        })) { BaseAddress = new Uri(db, "ords/hr/") };
        string employees = await ords.GetStringAsync("employees/");

        Assert.Contains("SMITH", employees, StringComparison.Ordinal);
        ords.Dispose();
    }

    [Fact]
    public async Task ApiGatewaySnippet_CallsApi()
    {
        await using EmulatedOAuthServer server = await EmulatedOAuthServer.StartAsync(Vendors.WebMethodsApiGateway, Id, Secret);
        (Uri gatewayHost, string gatewayClientId, string gatewaySecret) = (server.BaseAddress, Id, Secret);

        var gateway = new HttpClient(new BearerTokenHandler(new OAuth2ClientOptions
        {
            Profile = TokenEndpointProfile.WebMethodsApiGateway,
            ServerAddress = gatewayHost,
            ClientId = gatewayClientId,
            ClientSecret = gatewaySecret,
        })) { BaseAddress = new Uri(gatewayHost, "gateway/") };
        string orders = await gateway.GetStringAsync("orders");

        Assert.Contains("/gateway/orders", orders, StringComparison.Ordinal);
        gateway.Dispose();
    }
}
