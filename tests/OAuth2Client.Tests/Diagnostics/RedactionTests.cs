using OAuth2Client.Diagnostics;

namespace OAuth2Client.Tests.Diagnostics;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("https://user:pa55@idp.example.com:8443/oauth2/token?client_secret=s3cr3t&x=1#frag", "https://idp.example.com:8443/oauth2/token")]
    [InlineData("https://idp.example.com/oauth2/token", "https://idp.example.com/oauth2/token")]
    [InlineData("https://idp.example.com/a%20b/token?q", "https://idp.example.com/a%20b/token")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000/")]
    public void RedactUri_AbsoluteUri_LosesUserInfoQueryAndFragment(string uri, string expected)
    {
        Assert.Equal(expected, Redaction.RedactUri(new Uri(uri)));
    }

    [Theory]
    [InlineData("/login?session=abc#frag", "/login")]
    [InlineData("/login#frag", "/login")]
    [InlineData("relative/path", "relative/path")]
    public void RedactUri_RelativeUri_LosesQueryAndFragment(string uri, string expected)
    {
        Assert.Equal(expected, Redaction.RedactUri(new Uri(uri, UriKind.Relative)));
    }

    [Fact]
    public void RedactUri_Null_None()
    {
        Assert.Equal("(none)", Redaction.RedactUri(null));
    }

    [Fact]
    public void SafeUri_AbsoluteAndRelative_RedactedOrNull()
    {
        Assert.Equal(new Uri("https://idp.example.com/token"), Redaction.SafeUri(new Uri("https://u:p@idp.example.com/token?s=1")));
        Assert.Null(Redaction.SafeUri(new Uri("/token?s=1", UriKind.Relative)));
        Assert.Null(Redaction.SafeUri(null));
    }

    [Fact]
    public void RemoveCredentials_EveryOccurrenceOfEveryCredential_Masked()
    {
        string text = Redaction.RemoveCredentials("secret1 then CODE-42 and secret1 again, secret1", ["secret1", "CODE-42"]);

        Assert.Equal("*** then *** and *** again, ***", text);
    }

    [Fact]
    public void RemoveCredentials_OneContainsAnother_LongestRemovedWhole()
    {
        // Listed shortest first: a shortest-first pass would leave "***-suffix".
        string text = Redaction.RemoveCredentials("value: abcd-suffix.", ["abcd", "abcd-suffix"]);

        Assert.Equal("value: ***.", text);
    }

    [Fact]
    public void RemoveCredentials_CaseDiffers_OrdinalMatchOnly()
    {
        Assert.Equal("SECRET-X", Redaction.RemoveCredentials("SECRET-X", ["secret-x"]));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("ab")]
    [InlineData("abc")]
    public void RemoveCredentials_ShorterThanFourCharacters_NotMasked(string credential)
    {
        Assert.Equal("abc cab", Redaction.RemoveCredentials("abc cab", [credential, ""]));
    }

    [Fact]
    public void RemoveCredentials_FourCharacters_Masked()
    {
        Assert.Equal("x *** y", Redaction.RemoveCredentials("x abcd y", ["abcd"]));
    }

    [Fact]
    public void RemoveCredentials_NoCredentials_TextUnchanged()
    {
        Assert.Equal("text", Redaction.RemoveCredentials("text", null));
        Assert.Equal("text", Redaction.RemoveCredentials("text", []));
    }

    [Fact]
    public void Quote_SecretAtCharacter190OfLongText_RemovedBeforeTruncation()
    {
        const string secret = "SECRET-0123456789XYZ";
        string text = new string('a', 190) + secret + new string('b', 100);

        string quoted = Redaction.Quote(text, [secret]);

        Assert.Equal(new string('a', 190) + "***" + new string('b', 7) + "…", quoted);
        Assert.DoesNotContain("SECRET", quoted, StringComparison.Ordinal);
        Assert.DoesNotContain("SE", quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_LongText_ShortenedTo200CharactersAndEllipsis()
    {
        string quoted = Redaction.Quote(new string('x', 500));

        Assert.Equal(Redaction.MaxQuotedLength + 1, quoted.Length);
        Assert.EndsWith("x…", quoted, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_ExactlyMaxLength_Unchanged()
    {
        string text = new('x', Redaction.MaxQuotedLength);

        Assert.Equal(text, Redaction.Quote(text));
    }

    [Fact]
    public void Quote_ControlCharacters_Escaped()
    {
        string quoted = Redaction.Quote("line1\nline2\rline3\u001b[31mred\u0085next\u0000\u007f\ttab");

        Assert.Equal("line1\\u000aline2\\u000dline3\\u001b[31mred\\u0085next\\u0000\\u007f\\u0009tab", quoted);
        Assert.DoesNotContain(quoted, char.IsControl);
    }

    [Fact]
    public void Quote_CredentialContainingLineBreak_RemovedBeforeEscaping()
    {
        Assert.Equal("x *** y", Redaction.Quote("x ab\ncd y", ["ab\ncd"]));
    }

    [Fact]
    public void Quote_ManyControlCharacters_EscapedThenShortened()
    {
        string quoted = Redaction.Quote(new string('\n', 100));

        Assert.Equal(Redaction.MaxQuotedLength + 1, quoted.Length);
        Assert.StartsWith("\\u000a\\u000a", quoted, StringComparison.Ordinal);
        Assert.DoesNotContain(quoted, char.IsControl);
    }

    [Fact]
    public void EscapeControlCharacters_NoControlCharacters_SameInstance()
    {
        const string text = "plain text ü €";

        Assert.Same(text, Redaction.EscapeControlCharacters(text));
    }
}
