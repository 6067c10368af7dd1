using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OAuth2Client;

/// <summary>
/// Reports whether an OAuth2 client can currently obtain a token. Healthy while a token is cached or can be fetched;
/// otherwise the registration's failure status with the (secret-free) reason. Register it with
/// <c>services.AddHealthChecks().AddOAuth2TokenCheck("ords")</c> (or <c>AddTypeActivatedCheck&lt;OAuth2TokenHealthCheck&gt;("ords-token", "ords")</c>).
/// </summary>
public sealed class OAuth2TokenHealthCheck : IHealthCheck
{
    private readonly IServiceProvider _services;
    private readonly string _clientName;

    /// <summary>Creates a check for the OAuth2 client <paramref name="clientName"/>.</summary>
    /// <param name="services">The container holding the client's keyed <see cref="IOAuth2TokenProvider"/>.</param>
    /// <param name="clientName">The name the OAuth2 client was registered under.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="clientName"/> is null, empty or white space.</exception>
    public OAuth2TokenHealthCheck(IServiceProvider services, string clientName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        _services = services;
        _clientName = clientName;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        IOAuth2TokenProvider provider = _services.GetRequiredKeyedService<IOAuth2TokenProvider>(_clientName);
        try
        {
            OAuth2Token token = await provider.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(string.Create(CultureInfo.InvariantCulture, $"OAuth2 client '{_clientName}' has a token valid until {token.ExpiresAt:O}."));
        }
        catch (OAuth2TokenException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"OAuth2 client '{_clientName}' cannot obtain a token: {ex.Message}");
        }
    }
}
