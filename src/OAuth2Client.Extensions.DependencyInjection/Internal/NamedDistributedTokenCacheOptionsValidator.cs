using Microsoft.Extensions.Options;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>Runs the core's <see cref="DistributedTokenCacheOptions.Validate"/> for one named client, at host start (after the container filled in the cache).</summary>
internal sealed class NamedDistributedTokenCacheOptionsValidator(string clientName) : IValidateOptions<DistributedTokenCacheOptions>
{
    public string ClientName { get; } = clientName;

    public ValidateOptionsResult Validate(string? name, DistributedTokenCacheOptions options)
    {
        if (!string.Equals(name, ClientName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        IReadOnlyList<string> errors = options.Validate();
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"OAuth2 client '{ClientName}', distributed token cache: {e}"));
    }
}

/// <summary>Marks an OAuth2 client that uses the distributed token cache (fleet mode).</summary>
internal sealed record DistributedTokenCacheRegistration(string ClientName);
