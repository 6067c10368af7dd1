using Microsoft.Extensions.Options;

namespace OAuth2Client.DependencyInjection.Internal;

/// <summary>
/// Runs the core's public <see cref="OAuth2ClientOptionsValidator"/> for one named client, at host start. When the
/// options came from configuration, each error names the key that fixes it and its environment variable
/// (<c>OAuth2:Ords:ClientSecret</c>, <c>OAuth2__Ords__ClientSecret</c>).
/// </summary>
internal sealed class NamedOAuth2ClientOptionsValidator(string clientName, string? configurationPath) : IValidateOptions<OAuth2ClientOptions>
{
    private static readonly string[] OptionNames = [.. typeof(OAuth2ClientOptions).GetProperties().Select(p => p.Name)];

    public ValidateOptionsResult Validate(string? name, OAuth2ClientOptions options)
    {
        if (!string.Equals(name, clientName, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        IReadOnlyList<string> errors = OAuth2ClientOptionsValidator.ClientCredentials.Validate(options);
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(Describe));
    }

    private string Describe(string error)
    {
        if (configurationPath is null)
        {
            return $"OAuth2 client '{clientName}': {error}";
        }

        int end = 0;
        while (end < error.Length && char.IsAsciiLetterOrDigit(error[end]))
        {
            end++;
        }

        string first = error[..end];
        string? option = Array.Find(OptionNames, n => string.Equals(n, first, StringComparison.Ordinal));
        string where = option is null
            ? $" (configuration section {configurationPath})"
            : $" Set {configurationPath}:{option} in configuration, or the environment variable {OAuth2ClientOptionsBinder.EnvironmentVariable(configurationPath + ":" + option)}.";
        return $"OAuth2 client '{clientName}' ({configurationPath}): {error}{where}";
    }
}
