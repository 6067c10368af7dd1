namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>Where a client's options were bound from (for example <c>OAuth2:Ords</c>), so messages can name the key that fixes them.</summary>
internal sealed record OAuth2ClientConfigurationPath(string ClientName, string Path);

/// <summary>Marks a client name whose shared services (validator, keyed provider) are registered.</summary>
internal sealed record OAuth2ClientName(string Name);
