using Microsoft.Extensions.Options;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>Runs the core's public <see cref="OAuth2ClientOptionsValidator"/> for one named client, at host start.</summary>
internal sealed class NamedOAuth2ClientOptionsValidator(string clientName) : IValidateOptions<OAuth2ClientOptions>
{
    public string ClientName { get; } = clientName;

    public ValidateOptionsResult Validate(string? name, OAuth2ClientOptions options)
    {
        if (!string.Equals(name, ClientName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        IReadOnlyList<string> errors = OAuth2ClientOptionsValidator.ClientCredentials.Validate(options);
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(e => $"OAuth2 client '{ClientName}': {e}"));
    }
}
