namespace OAuth2Client;

/// <summary>
/// Creates the signed client assertion (<c>private_key_jwt</c>, RFC 7523 §2.2) for each token request, for keys the
/// app holds itself: in a key vault, a KMS or an HSM. The SDK asks; the app signs.
/// </summary>
/// <remarks>
/// Called once per token request attempt (a retry gets a new assertion, so a server that refuses replayed <c>jti</c>
/// values accepts it). The easiest implementation builds the header and claims with
/// <see cref="ClientAssertionContext.CreateSigningInput"/>, signs its ASCII bytes, and finishes with
/// <see cref="ClientAssertionContext.AppendSignature"/>. The returned assertion is a credential: the SDK never logs it.
/// </remarks>
/// <example>
/// <code>
/// public sealed class KmsAssertions(IMyKms kms) : IClientAssertionProvider
/// {
///     public async ValueTask&lt;string&gt; CreateAssertionAsync(ClientAssertionContext context, CancellationToken cancellationToken)
///     {
///         string input = context.CreateSigningInput("PS256", keyId: "kms-key-1");
///         byte[] signature = await kms.SignPs256Async(Encoding.ASCII.GetBytes(input), cancellationToken);
///         return ClientAssertionContext.AppendSignature(input, signature);
///     }
/// }
/// </code>
/// </example>
public interface IClientAssertionProvider
{
    /// <summary>Returns a signed JWT (compact serialization) that authenticates the client for one token request.</summary>
    /// <param name="context">Who the assertion is for: client id, audience, token endpoint, issue time and lifetime.</param>
    /// <param name="cancellationToken">Canceled when the token request is abandoned.</param>
    /// <returns>The assertion, sent as <c>client_assertion</c>.</returns>
    ValueTask<string> CreateAssertionAsync(ClientAssertionContext context, CancellationToken cancellationToken);
}
