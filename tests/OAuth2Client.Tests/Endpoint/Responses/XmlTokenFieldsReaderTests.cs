using System.Text;
using OAuth2Client.Endpoint.Responses;

namespace OAuth2Client.Tests.Endpoint.Responses;

public sealed class XmlTokenFieldsReaderTests
{
    /// <summary>CentraSite's sample XML response (seed 001), namespace with spaces as printed.</summary>
    private const string CentraSiteDocument = """
        <Response
        xmlns="https://localhost/rest/pub.mediator.OAuth 2.0.getOAuth 2.0AccessToken">
        <access_token>db95b40095f31439a1cd8f411e64abe8</access_token>
        <expires_in>3600</expires_in>
        <token_type>Bearer</token_type>
        </Response>
        """;

    [Fact]
    public void Read_CentraSiteDocumentWithNamespace_FieldsReadByLocalName()
    {
        TokenFields fields = Read(CentraSiteDocument);

        Assert.Equal("db95b40095f31439a1cd8f411e64abe8", fields.OAuth2Token);
        Assert.Equal("3600", fields.ExpiresIn);
        Assert.Equal("Bearer", fields.TokenType);
    }

    [Fact]
    public void Read_PrefixedNamespaceAndDeclaration_FieldsRead()
    {
        TokenFields fields = Read("<?xml version=\"1.0\" encoding=\"UTF-8\"?><m:Response xmlns:m=\"urn:x\"><m:access_token>abc</m:access_token><m:scope> svc </m:scope></m:Response>");

        Assert.Equal("abc", fields.OAuth2Token);
        Assert.Equal("svc", fields.Scope);
    }

    [Fact]
    public void Read_NestedUnknownElement_Accepted()
    {
        TokenFields fields = Read("<r><access_token>abc</access_token><extra><x>1</x></extra></r>");

        Assert.Equal("abc", fields.OAuth2Token);
    }

    [Fact]
    public void Read_UnknownElementBeforeFieldsHoldingTokenFieldNames_SkippedWhole()
    {
        TokenFields fields = Read("<r><extra><access_token>nested</access_token><error>x</error></extra><access_token>abc</access_token><expires_in>60</expires_in></r>");

        Assert.Equal("abc", fields.OAuth2Token);
        Assert.Equal("60", fields.ExpiresIn);
        Assert.Null(fields.Error);
    }

    [Fact]
    public void Read_ErrorDocument_ErrorFieldsRead()
    {
        TokenFields fields = Read("<Response><error>invalid_client</error><error_description>Unknown client</error_description><error_uri>https://d.example.com</error_uri></Response>");

        Assert.Equal("invalid_client", fields.Error);
        Assert.Equal("Unknown client", fields.ErrorDescription);
        Assert.Equal("https://d.example.com", fields.ErrorUri);
    }

    [Fact]
    public void Read_CommentsAndWhitespace_Ignored()
    {
        TokenFields fields = Read("\n  <r>\n <!-- c --> <access_token>abc</access_token>\n</r>\n<!-- tail -->");

        Assert.Equal("abc", fields.OAuth2Token);
    }

    [Fact]
    public void Read_EmptyRoot_NoFields()
    {
        TokenFields fields = Read("<Response/>");

        Assert.Null(fields.OAuth2Token);
    }

    [Theory]
    [InlineData("dtd", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><Response><access_token>&x;</access_token></Response>", "its XML body declares a DTD")]
    [InlineData("lower-case dtd", "<!doctype r><r/>", "its XML body declares a DTD")]
    [InlineData("mismatched end tag", "<Response><access_token>abc</Response>", "its body is not well-formed XML")]
    [InlineData("truncated", "<Response><access_token>abc</access_token>", "its body is not well-formed XML")]
    [InlineData("garbage after root", "<r><access_token>abc</access_token></r><x>", "its body is not well-formed XML")]
    [InlineData("no root element", "<?xml version=\"1.0\"?>", "its body is not well-formed XML")]
    [InlineData("undeclared entity", "<r><access_token>a&x;</access_token></r>", "its body is not well-formed XML")]
    [InlineData("duplicated access_token", "<r><access_token>a</access_token><access_token>b</access_token></r>", "its body repeats the field 'access_token'")]
    [InlineData("element inside a field", "<r><access_token><x>a</x></access_token></r>", "its body is not well-formed XML")]
    public void Read_BadXml_ThrowsWithProblem(string scenario, string body, string expected)
    {
        MalformedTokenResponseException ex = Assert.Throws<MalformedTokenResponseException>(() => Read(body));

        Assert.True(ex.Message.StartsWith(expected, StringComparison.Ordinal), $"{scenario}: '{ex.Message}' should start with '{expected}'");
    }

    [Fact]
    public void Read_DoctypeAfterOtherMarkup_StillRefused()
    {
        MalformedTokenResponseException ex = Assert.Throws<MalformedTokenResponseException>(
            () => Read("<?xml version=\"1.0\"?><!-- c --><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">]><r><access_token>&a;</access_token></r>"));

        Assert.Contains("declares a DTD", ex.Message, StringComparison.Ordinal);
    }

    private static TokenFields Read(string body) => XmlTokenFieldsReader.Read(Encoding.UTF8.GetBytes(body));
}
