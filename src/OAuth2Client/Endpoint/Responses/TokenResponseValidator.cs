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
        if (string.IsNullOrWhiteSpace(fields.OAuth2Token))
        {
            throw errors.Invalid(status, fields.AccessTokenWasNotString ? "its access_token is not a string" : "it has no access_token");
        }

        if (!OAuth2Token.IsHeaderSafe(fields.OAuth2Token))
        {
            throw errors.Invalid(status, "its access_token contains characters that cannot be sent in an Authorization header (only visible ASCII without spaces is allowed)");
        }

        string tokenType = fields.TokenType ?? "Bearer";
        if (!string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw errors.Invalid(status, $"its token_type is '{errors.Quote(tokenType)}'; only Bearer tokens are supported");
        }

        (TimeSpan lifetime, bool clamped) = fields.ExpiresIn is null ? (defaultLifetime, false) : ReadLifetime(fields.ExpiresIn, status, errors);
        var token = new OAuth2Token(fields.OAuth2Token, sentAt + lifetime, fields.Scope ?? requestedScope, tokenType);
        return new TokenResponse(token, string.IsNullOrWhiteSpace(fields.RefreshToken) ? null : fields.RefreshToken, sentAt) { LifetimeClamped = clamped };
    }

    /// <summary>
    /// Any numeric form (<c>3600</c>, <c>"3600"</c>, <c>3600.0</c>, <c>3.6e3</c>) is understood; a lifetime above the
    /// longest trusted (<see cref="OAuth2Defaults.MaxTokenLifetime"/>, a server's "practically never expires") is
    /// clamped to it; anything else is refused with a message that names the value.
    /// </summary>
    private static (TimeSpan Lifetime, bool Clamped) ReadLifetime(string expiresIn, HttpStatusCode status, TokenEndpointErrors errors)
    {
        const NumberStyles Number = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign
            | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        // A number too large for a double (1e400) parses as +∞: "practically never expires", clamped below.
        if (!double.TryParse(expiresIn, Number, CultureInfo.InvariantCulture, out double seconds) || double.IsNaN(seconds))
        {
            throw errors.Invalid(status, $"its expires_in '{errors.Quote(expiresIn)}' is not a number of seconds");
        }

        string shown = errors.Quote(expiresIn.Trim());
        if (seconds <= 0)
        {
            throw errors.Invalid(status, $"its expires_in is {shown}; a token's lifetime must be positive");
        }

        if (seconds < 1)
        {
            throw errors.Invalid(status, $"its expires_in is {shown}; a token that lives less than a second cannot be used");
        }

        return seconds > OAuth2Defaults.MaxExpiresInSeconds
            ? (OAuth2Defaults.MaxTokenLifetime, true)
            : (TimeSpan.FromSeconds(seconds), false);
    }
}
