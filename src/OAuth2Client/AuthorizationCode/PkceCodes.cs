using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace OAuth2Client;

/// <summary>
/// A Proof Key for Code Exchange pair (RFC 7636): a random <see cref="CodeVerifier"/> kept by the client and its
/// <see cref="CodeChallenge"/>, <c>BASE64URL(SHA256(verifier))</c>, sent in the authorization request. Only the
/// <c>S256</c> method is supported; <c>plain</c> never is. <see cref="ToString"/> and the debugger never show the verifier.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class PkceCodes
{
    /// <summary>The only code challenge method this library uses.</summary>
    public const string S256 = "S256";

    private const int MinVerifierLength = 43;
    private const int MaxVerifierLength = 128;

    /// <summary>32 random bytes make a 43-character verifier with 256 bits of entropy, as RFC 7636 §4.1 recommends.</summary>
    private const int VerifierEntropyBytes = 32;

    private PkceCodes(string codeVerifier)
    {
        CodeVerifier = codeVerifier;
        CodeChallenge = ComputeS256Challenge(codeVerifier);
    }

    /// <summary>Gets the code verifier: 43 to 128 characters of <c>[A-Z] [a-z] [0-9] - . _ ~</c>. Treat it as a secret until the code is exchanged.</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    public string CodeVerifier { get; }

    /// <summary>Gets the code challenge, <c>BASE64URL(SHA256(ASCII(CodeVerifier)))</c> without padding.</summary>
    public string CodeChallenge { get; }

    /// <summary>Gets the code challenge method, always <c>S256</c>.</summary>
    public string CodeChallengeMethod { get; } = S256;

    /// <summary>Creates a pair whose verifier comes from a cryptographic random number generator.</summary>
    /// <returns>A new pair, different every time.</returns>
    public static PkceCodes Create() => new(CreateRandomToken(VerifierEntropyBytes));

    /// <summary>Computes the <c>S256</c> code challenge of a verifier: <c>BASE64URL(SHA256(ASCII(verifier)))</c>.</summary>
    /// <param name="codeVerifier">A verifier of 43 to 128 characters of <c>[A-Z] [a-z] [0-9] - . _ ~</c>.</param>
    /// <returns>The 43-character challenge.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codeVerifier"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="codeVerifier"/> is not a valid RFC 7636 verifier (the message does not quote it).</exception>
    public static string ComputeS256Challenge(string codeVerifier)
    {
        ArgumentNullException.ThrowIfNull(codeVerifier);
        if (!IsValidVerifier(codeVerifier))
        {
            throw new ArgumentException(
                $"A code verifier must be {MinVerifierLength} to {MaxVerifierLength} characters of A-Z, a-z, 0-9, '-', '.', '_' and '~' (RFC 7636 §4.1); this one has {codeVerifier.Length} characters or others.",
                nameof(codeVerifier));
        }

        return ToBase64Url(SHA256.HashData(Encoding.ASCII.GetBytes(codeVerifier)));
    }

    /// <summary>Describes the pair without the verifier.</summary>
    /// <returns>For example <c>PkceCodes { CodeChallengeMethod = S256, CodeChallenge = E9Mel…, CodeVerifier = (redacted) }</c>.</returns>
    public override string ToString()
        => $"PkceCodes {{ CodeChallengeMethod = {S256}, CodeChallenge = {CodeChallenge}, CodeVerifier = (redacted) }}";

    /// <summary>Whether the text is an RFC 7636 verifier: 43 to 128 unreserved characters.</summary>
    internal static bool IsValidVerifier(string value)
    {
        if (value.Length is < MinVerifierLength or > MaxVerifierLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A URL-safe random value (verifiers, <c>state</c>) of the given entropy.</summary>
    internal static string CreateRandomToken(int entropyBytes) => ToBase64Url(RandomNumberGenerator.GetBytes(entropyBytes));

    private static string ToBase64Url(byte[] bytes)
        => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
