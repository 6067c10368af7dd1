using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OAuth2Client;
using OAuth2Client.Testing;
using QuickStart.Orders;

namespace QuickStart.Tests;

/// <summary>
/// The app's <see cref="OrdersClient"/> against an emulated Oracle ORDS: one emulator per test (each starts in a few
/// milliseconds on a free port), configured the way production is, through configuration keys.
/// </summary>
public sealed class OrdersClientTests : IAsyncLifetime
{
    private static readonly Order[] OpenOrders = [new(1, "ABC Company", 1234.56m), new(2, "Zoë & Co.", 17.00m)];

    private EmulatedOAuthServer _ords = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _ords = await EmulatedOAuthServer.StartAsync(Vendors.Ords);

        // The API behind the token: what the real orders endpoint would answer to an authorized call.
        _ords.ApiResponder = (context, request) => request.Path.StartsWith("/ords/hr/orders/", StringComparison.Ordinal)
            ? context.Response.WriteAsJsonAsync(OpenOrders)
            : Task.FromResult(context.Response.StatusCode = StatusCodes.Status404NotFound);

        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OAuth2:Orders:Profile"] = "Ords",
            ["OAuth2:Orders:ServerAddress"] = _ords.BaseAddress.AbsoluteUri,
            ["OAuth2:Orders:Schema"] = "hr",
            ["OAuth2:Orders:ClientId"] = _ords.ClientId,
            ["OAuth2:Orders:ClientSecret"] = _ords.ClientSecret,
            ["OAuth2:Orders:TokenRequestRetryDelay"] = "00:00:00.010", // keep retries quick in tests
            ["OAuth2:Orders:MinTokenAgeForRenewal"] = "00:00:00",      // a token revoked right after it was issued is renewed at once
            ["Orders:BaseAddress"] = _ords.ApiAddress.AbsoluteUri,
        }).Build();
        _services = new ServiceCollection().AddOrdersClient(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _ords.DisposeAsync();
    }

    private OrdersClient Orders => _services.GetRequiredService<OrdersClient>();

    [Fact]
    public async Task GetOpenOrders_ReturnsTheApisOrders_WithOneTokenForManyCalls()
    {
        IReadOnlyList<Order> first = await Orders.GetOpenOrdersAsync();
        IReadOnlyList<Order> second = await Orders.GetOpenOrdersAsync();

        Assert.Equal(OpenOrders, first);
        Assert.Equal(OpenOrders, second);
        Assert.Equal(1, _ords.TokenRequestCount);
        Assert.Equal(2, _ords.ApiRequestCount);
        Assert.StartsWith("Bearer ", _ords.LastApiRequest!.Authorization, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOpenOrders_AfterTheServerRevokedTheToken_RenewsItAndSucceeds()
    {
        await Orders.GetOpenOrdersAsync();

        _ords.RevokeAllTokens(); // the API now answers 401 to the token the app holds

        Assert.Equal(OpenOrders, await Orders.GetOpenOrdersAsync());
        Assert.Equal(2, _ords.TokenRequestCount);
        Assert.Equal(3, _ords.ApiRequestCount); // the call, its 401, the same call again with the new token
    }

    [Fact]
    public async Task GetOpenOrders_WithWrongCredentials_ThrowsOAuth2TokenExceptionWithoutTheSecret()
    {
        string appSecret = _ords.ClientSecret;
        _ords.ClientSecret = "rotated-by-the-dba"; // the app's configured secret is now wrong

        OAuth2TokenException error = await Assert.ThrowsAsync<OAuth2TokenException>(() => Orders.GetOpenOrdersAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(0, _ords.ApiRequestCount); // no call went out without a token
        Assert.DoesNotContain(appSecret, error.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string> BriefOutages => new() { "503", "429", "dropped connection" };

    [Theory]
    [MemberData(nameof(BriefOutages))]
    public async Task GetOpenOrders_WhileTheTokenEndpointBrieflyFails_RetriesAndSucceeds(string outage)
    {
        _ords.FailNextTokenRequests(2, outage switch
        {
            "503" => TokenFault.ServiceUnavailable(),
            "429" => TokenFault.TooManyRequests(TimeSpan.Zero),
            _ => TokenFault.DropConnection(),
        });

        Assert.Equal(OpenOrders, await Orders.GetOpenOrdersAsync());
        Assert.Equal(3, _ords.TokenRequestCount); // two failures, then the token
    }

    [Fact]
    public async Task GetOpenOrders_WhenTheTokenEndpointStaysDown_ThrowsOAuth2TokenException()
    {
        _ords.FailNextTokenRequests(10, TokenFault.ServiceUnavailable());

        OAuth2TokenException error = await Assert.ThrowsAsync<OAuth2TokenException>(() => Orders.GetOpenOrdersAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(3, _ords.TokenRequestCount); // the first attempt and two retries (the default)
    }
}
