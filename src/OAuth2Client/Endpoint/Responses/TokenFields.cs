namespace OAuth2Client.Endpoint.Responses;

/// <summary>
/// The fields of a token or error response, as read from JSON or XML, before validation. A token field given twice is
/// refused rather than letting the last one win. <see cref="ToString"/> never shows a token.
/// </summary>
internal sealed class TokenFields
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public string? OAuth2Token { get; private set; }

    /// <summary>The body had an <c>access_token</c> that is a number, an object or an array.</summary>
    public bool AccessTokenWasNotString { get; set; }

    public string? TokenType { get; private set; }

    /// <summary>The raw text of <c>expires_in</c>: a JSON number's digits or a string's content.</summary>
    public string? ExpiresIn { get; private set; }

    public string? Scope { get; private set; }

    public string? RefreshToken { get; private set; }

    public string? Error { get; private set; }

    public string? ErrorDescription { get; private set; }

    public string? ErrorUri { get; private set; }

    /// <summary>Sets a known field; unknown names are ignored.</summary>
    /// <exception cref="MalformedTokenResponseException">A token field is repeated.</exception>
    public void Set(string name, string? value)
    {
        if (name is "access_token" or "token_type" or "expires_in" or "refresh_token" or "error" && !_seen.Add(name))
        {
            throw new MalformedTokenResponseException($"its body repeats the field '{name}'");
        }

        switch (name)
        {
            case "access_token": OAuth2Token = value; break;
            case "token_type": TokenType = value?.Trim(); break;
            case "expires_in": ExpiresIn = value; break;
            case "scope": Scope = string.IsNullOrWhiteSpace(value) ? null : value.Trim(); break;
            case "refresh_token": RefreshToken = value; break;
            case "error": Error = value?.Trim(); break;
            case "error_description": ErrorDescription = value; break;
            case "error_uri": ErrorUri = value; break;
            default: break;
        }
    }

    public override string ToString() => $"TokenFields {{ OAuth2Token = {(OAuth2Token is null ? "(none)" : "(redacted)")}, Error = {Error ?? "(none)"} }}";
}
