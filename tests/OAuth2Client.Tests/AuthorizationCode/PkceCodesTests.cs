using System.Text.RegularExpressions;
using OAuth2Client.Testing;

namespace OAuth2Client.Tests.AuthorizationCode;

public sealed partial class PkceCodesTests
{
    [Fact]
    public void ComputeS256Challenge_Rfc7636AppendixBVector_MatchesExpectedChallenge()
    {
        // RFC 7636 Appendix B: the verifier is BASE64URL of these 32 octets, the challenge BASE64URL(SHA256(verifier)).
        byte[] octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
        const string Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        Assert.Equal(Verifier, Convert.ToBase64String(octets).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

        string challenge = PkceCodes.ComputeS256Challenge(Verifier);

        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", challenge);
    }

    [Fact]
    public void Create_Verifier_IsUnreservedCharactersOfValidLengthWithMatchingChallenge()
    {
        for (int i = 0; i < 200; i++)
        {
            PkceCodes codes = PkceCodes.Create();

            Assert.Matches(VerifierSyntax(), codes.CodeVerifier);
            Assert.Equal(43, codes.CodeVerifier.Length);
            Assert.Equal(PkceCodes.ComputeS256Challenge(codes.CodeVerifier), codes.CodeChallenge);
            Assert.Equal(AuthorizationCodeFlow.S256(codes.CodeVerifier), codes.CodeChallenge);
            Assert.Equal(43, codes.CodeChallenge.Length);
        }
    }

    [Fact]
    public void Create_ManyTimes_NeverRepeatsAVerifier()
    {
        string[] verifiers = Enumerable.Range(0, 1000).Select(_ => PkceCodes.Create().CodeVerifier).ToArray();

        Assert.Equal(verifiers.Length, verifiers.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void CodeChallengeMethod_Always_IsS256NeverPlain()
    {
        PkceCodes codes = PkceCodes.Create();

        Assert.Equal("S256", codes.CodeChallengeMethod);
        Assert.Equal("S256", PkceCodes.S256);
        Assert.NotEqual(codes.CodeVerifier, codes.CodeChallenge);
    }

    [Theory]
    [InlineData(43)]
    [InlineData(128)]
    public void ComputeS256Challenge_BoundaryLengths_Accepted(int length)
    {
        string verifier = new string('a', length - 4) + "-._~";

        Assert.Equal(43, PkceCodes.ComputeS256Challenge(verifier).Length);
    }

    [Theory]
    [InlineData("short-verifier-of-42-characters-xxxxxxxxxx")]
    [InlineData("a-verifier-with+a-plus-sign-that-is-not-unreserved")]
    [InlineData("a verifier with spaces that is long enough to pass")]
    [InlineData("a-verifier-with-non-ascii-ü-that-is-long-enough-too")]
    public void ComputeS256Challenge_InvalidVerifier_ThrowsWithoutQuotingIt(string verifier)
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => PkceCodes.ComputeS256Challenge(verifier));

        Assert.Contains("RFC 7636", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(verifier, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeS256Challenge_TooLong_Throws()
    {
        Assert.Throws<ArgumentException>(() => PkceCodes.ComputeS256Challenge(new string('a', 129)));
    }

    [Fact]
    public void ComputeS256Challenge_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PkceCodes.ComputeS256Challenge(null!));
    }

    [Fact]
    public void ToString_ShowsChallengeButNeverVerifier()
    {
        PkceCodes codes = PkceCodes.Create();

        string text = codes.ToString();

        Assert.Contains(codes.CodeChallenge, text, StringComparison.Ordinal);
        Assert.DoesNotContain(codes.CodeVerifier, text, StringComparison.Ordinal);
        Assert.Contains("(redacted)", text, StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Za-z0-9._~-]{43,128}$")]
    private static partial Regex VerifierSyntax();
}
