using Microsoft.Extensions.Diagnostics.HealthChecks;
using OAuth2Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="OAuth2TokenHealthCheck"/> for a named OAuth2 client.</summary>
public static class OAuth2HealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that reports whether the OAuth2 client <paramref name="clientName"/> can currently obtain a
    /// token: healthy while a token is cached or can be fetched, otherwise <paramref name="failureStatus"/> with the
    /// reason (never a secret). The descriptions name the client by its registration name.
    /// </summary>
    /// <param name="builder">The health checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="clientName">The name the client was registered under with <c>AddOAuth2ClientCredentials</c>.</param>
    /// <param name="name">The health check's name; <see langword="null"/> for <c>oauth2-token-{clientName}</c>.</param>
    /// <param name="failureStatus">The status when no token can be obtained; <see langword="null"/> for <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter health checks by (for example <c>"ready"</c>).</param>
    /// <param name="timeout">How long the check may take; <see langword="null"/> for no limit of its own.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="clientName"/> is null, empty or white space.</exception>
    /// <example>
    /// <code>
    /// services.AddHealthChecks().AddOAuth2TokenCheck("billing", tags: ["ready"]);
    /// </code>
    /// </example>
    public static IHealthChecksBuilder AddOAuth2TokenCheck(
        this IHealthChecksBuilder builder,
        string clientName,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        return builder.Add(new HealthCheckRegistration(
            name ?? "oauth2-token-" + clientName,
            services => new OAuth2TokenHealthCheck(services, clientName),
            failureStatus,
            tags,
            timeout));
    }
}
