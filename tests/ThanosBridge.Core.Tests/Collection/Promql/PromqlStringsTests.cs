using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

public class PromqlStringsTests
{
    [Theory]
    [InlineData("c1", "\"c1\"")]
    [InlineData("", "\"\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("l1\nl2\r\t", "\"l1\\nl2\\r\\t\"")]
    [InlineData("\u0001\u007f", "\"\\x01\\x7f\"")]
    [InlineData("caf\u00e9 \U0001F600", "\"caf\u00e9 \U0001F600\"")]
    [InlineData("{}'`#", "\"{}'`#\"")]
    public void Quote_Value_IsDoubleQuotedPromqlString(string value, string expected)
    {
        PromqlStrings.Quote(value).ShouldBe(expected);
    }

    [Theory]
    [InlineData("c1")]
    [InlineData("a\"b\\c")]
    [InlineData("\u0000\u0001\n\r\t\u007f")]
    [InlineData("caf\u00e9 \U0001F600 }or vector(1)#")]
    public void Quote_AnyValue_RoundTripsThroughTheLexerAndParser(string value)
    {
        var quoted = PromqlStrings.Quote(value);

        PromqlLexer.Tokenize(quoted).Count.ShouldBe(2);
        PromqlParser.Parse(quoted).ShouldBeOfType<StringLiteral>().Value.ShouldBe(value);
    }

    [Fact]
    public void Quote_LoneSurrogate_BecomesReplacementCharacter()
    {
        PromqlStrings.Quote("a\uD800b").ShouldBe("\"a\uFFFDb\"");
    }

    [Theory]
    [InlineData(null, "(null)")]
    [InlineData("", "\"\"")]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("x\ny\r\tz", "\"x\\ny\\r\\tz\"")]
    [InlineData("\u001b[31m", "\"\\u001B[31m\"")]
    [InlineData("\u00e9\U0001F600", "\"\\u00E9\\uD83D\\uDE00\"")]
    public void ForDisplay_Value_IsQuotedAndEscaped(string? value, string expected)
    {
        PromqlStrings.ForDisplay(value).ShouldBe(expected);
    }

    [Fact]
    public void ForDisplay_LongValue_IsTruncatedWithLength()
    {
        PromqlStrings.ForDisplay("abcdefgh", 3).ShouldBe("\"abc\"… (8 characters)");
    }
}
