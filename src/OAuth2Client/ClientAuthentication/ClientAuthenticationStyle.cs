namespace OAuth2Client;

/// <summary>
/// How the client proves its identity to the token endpoint: with its secret (three styles), with a signed assertion
/// (RFC 7523), or with a TLS client certificate (RFC 8705).
/// </summary>
/// <remarks>
/// The vendor profiles' servers (PxPlus, CentraSite/Mediator, webMethods API Gateway, Oracle ORDS) document HTTP Basic
/// only; <see cref="PrivateKeyJwt"/>, <see cref="ClientSecretJwt"/> and <see cref="TlsClientCertificate"/> are for
/// generic RFC 6749 servers (<see cref="TokenEndpointProfile.Rfc6749"/>) that support them. A client assertion is a
/// form parameter (RFC 7523 §2.2), so it cannot be sent with <see cref="TokenRequestFormat.Json"/>.
/// </remarks>
public enum ClientAuthenticationStyle
{
    /// <summary>
    /// An <c>Authorization: Basic</c> header whose client id and secret are each
    /// <c>application/x-www-form-urlencoded</c> before Base64, as RFC 6749 §2.3.1 requires (<c>client_secret_basic</c>).
    /// Identical to <see cref="BasicHeaderRaw"/> for ids and secrets made of letters, digits and <c>-._~</c>.
    /// </summary>
    BasicHeader = 0,

    /// <summary>
    /// An <c>Authorization: Basic</c> header of Base64(<c>id:secret</c>) with no form-encoding first,
    /// as the PxPlus, Oracle ORDS and webMethods documents (and <c>curl -u</c>) show.
    /// </summary>
    BasicHeaderRaw = 1,

    /// <summary>
    /// <c>client_id</c> and <c>client_secret</c> sent as fields of the request body (<c>client_secret_post</c>;
    /// form or JSON, see <see cref="TokenRequestFormat"/>). A client without a secret sends only <c>client_id</c>.
    /// </summary>
    RequestBody = 2,

    /// <summary>
    /// <c>private_key_jwt</c> (RFC 7523 §2.2, OpenID Connect Core §9): a JWT signed with the client's private key
    /// (RS256, PS256 or ES256) in <c>client_assertion</c>, made afresh for every token request. The key comes from
    /// <see cref="OAuth2ClientOptions.SigningCertificate"/>, <see cref="OAuth2ClientOptions.SigningKeyFile"/>,
    /// <see cref="OAuth2ClientOptions.SigningKeyPem"/>, <see cref="OAuth2ClientOptions.SigningKeyJwk"/>, or an
    /// <see cref="IClientAssertionProvider"/> (a key in a KMS or HSM). No client secret.
    /// </summary>
    PrivateKeyJwt = 3,

    /// <summary>
    /// <c>client_secret_jwt</c> (OpenID Connect Core §9): a JWT signed with HMAC-SHA256 (HS256) keyed with the client
    /// secret, in <c>client_assertion</c>; the secret itself is never sent. The secret must be at least 32 bytes long
    /// (RFC 7518 §3.2).
    /// </summary>
    ClientSecretJwt = 4,

    /// <summary>
    /// Mutual TLS (RFC 8705 §2, <c>tls_client_auth</c> or <c>self_signed_tls_client_auth</c>): the TLS client certificate
    /// of the token endpoint's connection authenticates the client, and the body carries only <c>client_id</c>. Set
    /// <see cref="OAuth2ClientOptions.ClientCertificate"/>, or configure the certificate on the token endpoint's
    /// <see cref="HttpClient"/> yourself. No client secret.
    /// </summary>
    TlsClientCertificate = 5,
}
