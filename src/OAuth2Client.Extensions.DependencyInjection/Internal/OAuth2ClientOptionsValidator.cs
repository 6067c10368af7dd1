using Microsoft.Extensions.Options;
using OAuth2Client.Internal;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>Validates one named client's options at start, prefixing each problem with the client's name.</summary>
internal sealed class OAuth2ClientOptionsValidator(string clientName) : IValidateOptions<OAuth2ClientOptions>
{
    public string ClientName { get; } = clientName;

    public ValidateOptionsResult Validate(string? name, OAuth2ClientOptions options)
    {
        if (!string.Equals(name, ClientName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        IReadOnlyList<string> errors = ClientSettings.Validate(options);
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"OAuth2 client '{ClientName}': {e}"));
    }
}
