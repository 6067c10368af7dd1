using System.Globalization;
using System.Net;
using OAuth2Client.Settings;

namespace OAuth2Client.Endpoint.Responses;

/// <summary>
/// Turns the fields of a successful response into a token, or says what is wrong with them: an access token that an
/// Authorization header can carry, a Bearer type (any case), and a plausible lifetime (<c>expires_in</c> as a JSON
/// number or string; the profile's default when absent).
/// </summary>
internal static class TokenResponseValidator
{
    /// <exception cref="OAuth2TokenException">The fields do not make a usable token.</exception>
    public static TokenResponse Validate(TokenFields fields, HttpStatusCode status, TokenEndpointErrors errors, TimeSpan defaultLifetime, string? requestedScope, DateTimeOffset sentAt)
    {
        if (string.IsNullOrWhiteSpace(fields.AccessToken))
        {
            throw errors.Invalid(status, fields.AccessTokenWasNotString ? "its access_token is not a string" : "it has no access_token");
        }

        if (!AccessToken.IsHeaderSafe(fields.AccessToken))
        {
            throw errors.Invalid(status, "its access_token contains characters that cannot be sent in an Authorization header (only visible ASCII without spaces is allowed)");
        }

        string tokenType = fields.TokenType ?? "Bearer";
        if (!string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw errors.Invalid(status, $"its token_type is '{errors.Quote(tokenType)}'; only Bearer tokens are supported");
        }

        TimeSpan lifetime = fields.ExpiresIn is null ? defaultLifetime : ReadLifetime(fields.ExpiresIn, status, errors);
        var token = new AccessToken(fields.AccessToken, sentAt + lifetime, fields.Scope ?? requestedScope, tokenType);
        return new TokenResponse(token, string.IsNullOrWhiteSpace(fields.RefreshToken) ? null : fields.RefreshToken, sentAt);
    }

    private static TimeSpan ReadLifetime(string expiresIn, HttpStatusCode status, TokenEndpointErrors errors)
    {
        const NumberStyles Number = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign
            | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!decimal.TryParse(expiresIn, Number, CultureInfo.InvariantCulture, out decimal seconds))
        {
            throw errors.Invalid(status, $"its expires_in '{errors.Quote(expiresIn)}' is not a number of seconds");
        }

        if (seconds <= 0)
        {
            throw errors.Invalid(status, $"its expires_in is {seconds.ToString(CultureInfo.InvariantCulture)}; a token's lifetime must be positive");
        }

        if (seconds < 1)
        {
            throw errors.Invalid(status, $"its expires_in is {seconds.ToString(CultureInfo.InvariantCulture)}; a token that lives less than a second cannot be used");
        }

        if (seconds > OAuth2Defaults.MaxExpiresInSeconds)
        {
            throw errors.Invalid(status, $"its expires_in is {errors.Quote(expiresIn)} seconds, more than a year; such a lifetime is not plausible");
        }

        return TimeSpan.FromSeconds((double)seconds);
    }
}
