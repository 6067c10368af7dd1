using System.Text;
using OAuth2Client.ClientAuthentication;

namespace OAuth2Client;

/// <summary>
/// What an <see cref="IClientAssertionProvider"/> needs to create one client assertion: who the client is, whom the
/// assertion is for, and when it is issued (from the client's <see cref="TimeProvider"/>).
/// </summary>
public sealed class ClientAssertionContext
{
    internal ClientAssertionContext(string clientId, string audience, Uri tokenEndpoint, DateTimeOffset issuedAt, TimeSpan lifetime, bool includeNotBefore)
    {
        ClientId = clientId;
        Audience = audience;
        TokenEndpoint = tokenEndpoint;
        IssuedAt = issuedAt;
        Lifetime = lifetime;
        IncludeNotBefore = includeNotBefore;
    }

    /// <summary>Gets the client id: the assertion's <c>iss</c> and <c>sub</c>.</summary>
    public string ClientId { get; }

    /// <summary>Gets the assertion's <c>aud</c>: <see cref="OAuth2ClientOptions.ClientAssertionAudience"/>, or the token endpoint.</summary>
    public string Audience { get; }

    /// <summary>Gets the token endpoint the assertion is sent to.</summary>
    public Uri TokenEndpoint { get; }

    /// <summary>Gets the issue time (<c>iat</c>), from the client's clock.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Gets how long the assertion is valid: <c>exp</c> is <see cref="IssuedAt"/> plus this.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>Gets whether the claims carry <c>nbf</c> (equal to <c>iat</c>).</summary>
    public bool IncludeNotBefore { get; }

    /// <summary>
    /// Returns the JWS signing input (<c>base64url(header) "." base64url(claims)</c>) of a new assertion: header
    /// <c>alg</c>, <c>typ</c> and optional <c>kid</c>; claims <c>iss</c>, <c>sub</c>, <c>aud</c>, a fresh random
    /// <c>jti</c>, <c>iat</c>, <c>exp</c> and optional <c>nbf</c>. Sign its ASCII bytes with the key, then call
    /// <see cref="AppendSignature"/>.
    /// </summary>
    /// <param name="algorithm">The JWS <c>alg</c>: <c>RS256</c>, <c>PS256</c> or <c>ES256</c> (or any the server accepts).</param>
    /// <param name="keyId">The <c>kid</c> header, as registered with the server; <see langword="null"/> for none.</param>
    /// <returns>The signing input. Each call makes a new <c>jti</c>.</returns>
    /// <exception cref="ArgumentException"><paramref name="algorithm"/> is null, empty or white space.</exception>
    public string CreateSigningInput(string algorithm, string? keyId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(algorithm);
        return ClientAssertionJwt.CreateSigningInput(algorithm, keyId, null, this);
    }

    /// <summary>Completes an assertion: <paramref name="signingInput"/> <c>"."</c> base64url(<paramref name="signature"/>).</summary>
    /// <param name="signingInput">What <see cref="CreateSigningInput"/> returned.</param>
    /// <param name="signature">The signature over the ASCII bytes of <paramref name="signingInput"/>; for ES256 the 64-byte <c>r||s</c> form (IEEE P1363), not DER.</param>
    /// <returns>The compact JWT.</returns>
    /// <exception cref="ArgumentException"><paramref name="signingInput"/> is null, empty or white space, or <paramref name="signature"/> is empty.</exception>
    public static string AppendSignature(string signingInput, ReadOnlySpan<byte> signature)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signingInput);
        if (signature.IsEmpty)
        {
            throw new ArgumentException("The signature is empty.", nameof(signature));
        }

        return new StringBuilder(signingInput).Append('.').Append(JosePlatform.Base64UrlEncode(signature)).ToString();
    }

    /// <summary>Describes the context (it holds no secret).</summary>
    /// <returns>The client id, audience and issue time.</returns>
    public override string ToString() => $"ClientAssertionContext {{ ClientId = {ClientId}, Audience = {Audience}, IssuedAt = {IssuedAt:O} }}";
}
