using System.Text;
using OAuth2Client.Endpoint.Responses;

namespace OAuth2Client.Tests.Endpoint.Responses;

public sealed class JsonTokenFieldsReaderTests
{
    private const string Token = "tok-ABCDEF0123456789-secret-token-value";

    [Fact]
    public void Read_FullTokenResponse_EveryKnownFieldRead()
    {
        TokenFields fields = Read("{\"access_token\":\"" + Token + "\",\"token_type\":\" Bearer \",\"expires_in\":3600,\"scope\":\" a b \",\"refresh_token\":\"rt-1\"}");

        Assert.Equal(Token, fields.OAuth2Token);
        Assert.Equal("Bearer", fields.TokenType);
        Assert.Equal("3600", fields.ExpiresIn);
        Assert.Equal("a b", fields.Scope);
        Assert.Equal("rt-1", fields.RefreshToken);
        Assert.Null(fields.Error);
        Assert.False(fields.AccessTokenWasNotString);
        Assert.DoesNotContain(Token, fields.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ErrorResponse_ErrorFieldsRead()
    {
        TokenFields fields = Read("{\"error\":\" invalid_client \",\"error_description\":\"Unknown client\",\"error_uri\":\"https://docs.example.com/e\"}");

        Assert.Equal("invalid_client", fields.Error);
        Assert.Equal("Unknown client", fields.ErrorDescription);
        Assert.Equal("https://docs.example.com/e", fields.ErrorUri);
        Assert.Null(fields.OAuth2Token);
    }

    [Theory]
    [InlineData("\"3600\"", "3600")]
    [InlineData("3600.0", "3600.0")]
    [InlineData("3.6e3", "3.6e3")]
    [InlineData("\" 600 \"", " 600 ")]
    [InlineData("null", null)]
    public void Read_ExpiresInAsNumberOrString_RawTextKept(string json, string? expected)
    {
        TokenFields fields = Read("{\"access_token\":\"t1\",\"expires_in\":" + json + "}");

        Assert.Equal(expected, fields.ExpiresIn);
    }

    [Fact]
    public void Read_UnknownStructuredMembers_SkippedWhole()
    {
        TokenFields fields = Read("{\"extra\":{\"access_token\":\"nested\",\"list\":[1,{\"error\":\"x\"}]},\"access_token\":\"t1\",\"arr\":[[]],\"flag\":true,\"n\":null}");

        Assert.Equal("t1", fields.OAuth2Token);
        Assert.Null(fields.Error);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("{\"v\":\"t\"}")]
    [InlineData("[\"t\"]")]
    [InlineData("true")]
    public void Read_AccessTokenNotString_Flagged(string json)
    {
        TokenFields fields = Read("{\"access_token\":" + json + ",\"expires_in\":60}");

        Assert.True(fields.AccessTokenWasNotString);
        Assert.Null(fields.OAuth2Token);
        Assert.Equal("60", fields.ExpiresIn);
    }

    [Theory]
    [InlineData("truncated", "{\"access_token\":\"" + Token + "\",\"expires_in\":36", "its body is not valid JSON (truncated or malformed")]
    [InlineData("array", "[1,2]", "its body is not a JSON object")]
    [InlineData("string", "\"" + Token + "\"", "its body is not a JSON object")]
    [InlineData("boolean expires_in", "{\"access_token\":\"t\",\"expires_in\":true}", "its expires_in is not a number of seconds")]
    [InlineData("object expires_in", "{\"access_token\":\"t\",\"expires_in\":{\"s\":1}}", "its expires_in is not a number of seconds")]
    [InlineData("array expires_in", "{\"access_token\":\"t\",\"expires_in\":[3600]}", "its expires_in is not a number of seconds")]
    [InlineData("duplicated access_token", "{\"access_token\":\"first\",\"expires_in\":3600,\"access_token\":\"second\"}", "its body repeats the field 'access_token'")]
    [InlineData("duplicated expires_in", "{\"access_token\":\"t\",\"expires_in\":3600,\"expires_in\":5}", "its body repeats the field 'expires_in'")]
    [InlineData("duplicated error", "{\"error\":\"a\",\"error\":\"b\"}", "its body repeats the field 'error'")]
    [InlineData("trailing garbage", "{\"access_token\":\"t\"} x", "its body is not valid JSON")]
    [InlineData("two objects", "{\"access_token\":\"t\"}{\"access_token\":\"u\"}", "its body is not valid JSON")]
    [InlineData("unquoted value", "{\"access_token\":abc-" + Token + "}", "its body is not valid JSON")]
    public void Read_MalformedJson_ThrowsWithProblem(string scenario, string body, string expected)
    {
        MalformedTokenResponseException ex = Assert.Throws<MalformedTokenResponseException>(() => Read(body));

        Assert.True(ex.Message.StartsWith(expected, StringComparison.Ordinal), $"{scenario}: '{ex.Message}' should start with '{expected}'");
        Assert.DoesNotContain(Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NestingDeeperThanLimit_ThrowsNotValidJson()
    {
        MalformedTokenResponseException ex = Assert.Throws<MalformedTokenResponseException>(() => Read("{\"a\":" + new string('[', 5000)));

        Assert.StartsWith("its body is not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NestingWithinLimit_Accepted()
    {
        TokenFields fields = Read("{\"a\":" + new string('[', 10) + new string(']', 10) + ",\"access_token\":\"t1\"}");

        Assert.Equal("t1", fields.OAuth2Token);
    }

    [Fact]
    public void Read_InvalidUtf8InString_ThrowsNotValidUtf8Json()
    {
        byte[] body = [.. "{\"access_token\":\"ab"u8, 0xC3, 0x28, .. "\",\"expires_in\":60}"u8];

        MalformedTokenResponseException ex = Assert.Throws<MalformedTokenResponseException>(() => JsonTokenFieldsReader.Read(body));

        Assert.Equal("its body is not valid UTF-8 JSON", ex.Message);
    }

    [Fact]
    public void Read_InvalidUtf8InPropertyName_ThrowsNotValidUtf8Json()
    {
        byte[] body = [.. "{\"ab"u8, 0xFF, .. "\":1,\"access_token\":\"t\"}"u8];

        MalformedTokenResponseException ex = Assert.Throws<MalformedTokenResponseException>(() => JsonTokenFieldsReader.Read(body));

        Assert.StartsWith("its body is not valid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyObject_NoFields()
    {
        TokenFields fields = Read("{}");

        Assert.Null(fields.OAuth2Token);
        Assert.Null(fields.Error);
    }

    private static TokenFields Read(string body) => JsonTokenFieldsReader.Read(Encoding.UTF8.GetBytes(body));
}
