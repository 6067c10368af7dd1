using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace QuickStart.Orders;

/// <summary>An order as the orders API returns it.</summary>
public sealed record Order(int Id, string Customer, decimal Total);

/// <summary>The app's typed client of an OAuth2-protected orders API (in a real solution: in the app's project).</summary>
public sealed class OrdersClient(HttpClient http)
{
    /// <summary>The open orders.</summary>
    public async Task<IReadOnlyList<Order>> GetOpenOrdersAsync(CancellationToken cancellationToken = default)
        => await http.GetFromJsonAsync<List<Order>>("orders/?status=open", cancellationToken) ?? [];
}

/// <summary>The app's registration: a typed client with OAuth2 client-credentials tokens, all from configuration.</summary>
public static class OrdersServiceCollectionExtensions
{
    /// <summary>Registers <see cref="OrdersClient"/>: base address from <c>Orders:BaseAddress</c>, tokens from <c>OAuth2:Orders</c>.</summary>
    public static IServiceCollection AddOrdersClient(this IServiceCollection services, IConfiguration configuration)
    {
        services
            .AddHttpClient<OrdersClient>(http => http.BaseAddress = new Uri(configuration["Orders:BaseAddress"]!))
            .AddOAuth2ClientCredentials(configuration.GetSection("OAuth2:Orders"));
        return services;
    }
}
