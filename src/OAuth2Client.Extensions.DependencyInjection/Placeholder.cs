namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers OAuth2Client with dependency injection. Filled in by the DI issue.</summary>
public static class OAuth2ClientServiceCollectionExtensions
{
}
