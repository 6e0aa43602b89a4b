using ThanosBridge.Core.Collection.Promql;

namespace ThanosBridge.Core.Tests.Collection.Promql;

public class PromqlLexerTests
{
    // Expected tokens as "Kind(text)", space separated, without the final EndOfInput.
    [Theory]
    [InlineData("foo", "Identifier(foo)")]
    [InlineData("cost:pod_labels", "MetricIdentifier(cost:pod_labels)")]
    [InlineData(":foo a:b:c", "MetricIdentifier(:foo) MetricIdentifier(a:b:c)")]
    [InlineData("sum BY and OR Unless atan2 group_left", "Keyword(sum) Keyword(BY) Keyword(and) Keyword(OR) Keyword(Unless) Keyword(atan2) Keyword(group_left)")]
    [InlineData("summary offsets", "Identifier(summary) Identifier(offsets)")]
    [InlineData("foo{a=\"b\",c!='d',e=~`f`,g!~\"h\"}",
        "Identifier(foo) LeftBrace({) Identifier(a) Assign(=) QuotedString(\"b\") Comma(,) Identifier(c) NotEqual(!=) QuotedString('d') Comma(,) Identifier(e) RegexMatch(=~) QuotedString(`f`) Comma(,) Identifier(g) RegexNoMatch(!~) QuotedString(\"h\") RightBrace(})")]
    [InlineData("{by=\"x\", offset=\"y\"}", "LeftBrace({) Identifier(by) Assign(=) QuotedString(\"x\") Comma(,) Identifier(offset) Assign(=) QuotedString(\"y\") RightBrace(})")]
    [InlineData("foo[5m:1m]", "Identifier(foo) LeftBracket([) Duration(5m) Colon(:) Duration(1m) RightBracket(])")]
    [InlineData("foo[ 15m : ]", "Identifier(foo) LeftBracket([) Duration(15m) Colon(:) RightBracket(])")]
    [InlineData("1 0x1F 1e3 1.5e-3 .5 1. 1_000 Inf nan", "Number(1) Number(0x1F) Number(1e3) Number(1.5e-3) Number(.5) Number(1.) Number(1_000) Number(Inf) Number(nan)")]
    [InlineData("Infinity nanos", "Identifier(Infinity) Identifier(nanos)")]
    [InlineData("1h30m 100ms 2w 1y", "Duration(1h30m) Duration(100ms) Duration(2w) Duration(1y)")]
    [InlineData("== != < <= > >= + - * / % ^ @ ( ) ,",
        "EqualEqual(==) NotEqual(!=) Less(<) LessOrEqual(<=) Greater(>) GreaterOrEqual(>=) Plus(+) Minus(-) Star(*) Slash(/) Percent(%) Caret(^) At(@) LeftParen(() RightParen()) Comma(,)")]
    [InlineData("a # comment {x} \"y\"\nb", "Identifier(a) Comment(# comment {x} \"y\") Identifier(b)")]
    [InlineData("\"#not a comment\"", "QuotedString(\"#not a comment\")")]
    [InlineData("\"a\\\"b\" 'c\\'d' \"\\x41\\101\\u00e9\\U0001F600\\a\\b\\f\\n\\r\\t\\v\\\\\"",
        "QuotedString(\"a\\\"b\") QuotedString('c\\'d') QuotedString(\"\\x41\\101\\u00e9\\U0001F600\\a\\b\\f\\n\\r\\t\\v\\\\\")")]
    [InlineData("`raw\\q\nline`", "QuotedString(`raw\\q\nline`)")]
    [InlineData("label_replace(x, \"dst\", \"{x}\", \"src\", \"(.*)\")",
        "Identifier(label_replace) LeftParen(() Identifier(x) Comma(,) QuotedString(\"dst\") Comma(,) QuotedString(\"{x}\") Comma(,) QuotedString(\"src\") Comma(,) QuotedString(\"(.*)\") RightParen())")]
    [InlineData("foo @ start()", "Identifier(foo) At(@) Keyword(start) LeftParen(() RightParen())")]
    [InlineData("a = b", "Identifier(a) Assign(=) Identifier(b)")]
    [InlineData(" \t\r\n", "")]
    public void Tokenize_ValidInput_ProducesExpectedTokens(string input, string expected)
    {
        var tokens = PromqlLexer.Tokenize(input);

        tokens[^1].Kind.ShouldBe(PromqlTokenKind.EndOfInput);
        string.Join(" ", tokens.SkipLast(1).Select(t => $"{t.Kind}({t.Text})")).ShouldBe(expected);
    }

    [Fact]
    public void Tokenize_AnyInput_OffsetsPointAtTheTokenText()
    {
        const string input = "sum by (pod) (rate(foo{a=\"b\"}[5m] offset -1h)) # note\n/ on(pod) group_left bar";

        var tokens = PromqlLexer.Tokenize(input);

        tokens.Count.ShouldBe(31);
        tokens.ShouldAllBe(t => input.Substring(t.Offset, t.Text.Length) == t.Text);
        tokens[^1].Offset.ShouldBe(input.Length);
        tokens.Select(t => t.Offset).ShouldBeInOrder(SortDirection.Ascending);
    }

    [Theory]
    [InlineData("foo{", 3, "unclosed left brace")]
    [InlineData("foo{a=\"b\"", 3, "unclosed left brace")]
    [InlineData("foo[5m", 3, "unclosed left bracket")]
    [InlineData("foo}", 3, "unexpected right brace")]
    [InlineData("foo]", 3, "unexpected right bracket")]
    [InlineData("x + \"abc", 4, "unterminated quoted string")]
    [InlineData("\"a\nb\"", 0, "unterminated quoted string")]
    [InlineData("`abc", 0, "unterminated raw string")]
    [InlineData("\"\\q\"", 1, "unknown escape sequence 'q'")]
    [InlineData("'\\\"'", 1, "unknown escape sequence '\"'")]
    [InlineData("\"\\", 1, "escape sequence not terminated")]
    [InlineData("\"\\x4\"", 1, "illegal character in escape sequence")]
    [InlineData("\"\\u00g0\"", 1, "illegal character in escape sequence")]
    [InlineData("\"\\400\"", 1, "invalid Unicode code point")]
    [InlineData("\"\\uD800\"", 1, "invalid Unicode code point")]
    [InlineData("\"\\U00110000\"", 1, "invalid Unicode code point")]
    [InlineData("1.2.3", 0, "bad number or duration syntax: \"1.2.3\"")]
    [InlineData("x + 5x", 4, "bad number or duration syntax: \"5x\"")]
    [InlineData("1m5h", 0, "bad number or duration syntax: \"1m5h\"")]
    [InlineData("1.5h", 0, "bad number or duration syntax")]
    [InlineData("1e", 0, "bad number or duration syntax")]
    [InlineData("0x", 0, "bad number or duration syntax")]
    [InlineData("0x1G", 0, "bad number or duration syntax")]
    [InlineData("1__0", 0, "bad number or duration syntax")]
    [InlineData(".", 0, "bad number or duration syntax")]
    [InlineData("a ! b", 2, "unexpected character after '!'")]
    [InlineData("a =~ b", 3, "unexpected character after '='")]
    [InlineData("{a!b=\"c\"}", 2, "unexpected character after '!' inside braces")]
    [InlineData("{a:b=\"c\"}", 2, "unexpected character inside braces: ':'")]
    [InlineData("{a=1}", 3, "unexpected character inside braces: '1'")]
    [InlineData("foo{{", 4, "unexpected left brace inside braces")]
    [InlineData("foo[[", 4, "unexpected left bracket inside brackets")]
    [InlineData("foo[5m x]", 7, "unexpected character inside brackets: 'x'")]
    [InlineData("foo[-5m]", 4, "unexpected character inside brackets: '-'")]
    [InlineData("a $ b", 2, "unexpected character '$'")]
    [InlineData("caf\u00e9", 3, "unexpected character U+00E9")]
    public void Tokenize_InvalidInput_ThrowsWithOffset(string input, int offset, string reason)
    {
        var ex = Should.Throw<PromqlSyntaxException>(() => PromqlLexer.Tokenize(input));

        ex.Offset.ShouldBe(offset);
        ex.Reason.ShouldContain(reason);
        ex.Message.ShouldStartWith($"PromQL syntax error at offset {offset}: ");
    }

    [Fact]
    public void Tokenize_ErrorInLongExpression_MessageShowsShortEscapedExcerpt()
    {
        var input = "sum(foo) + \"" + new string('x', 5000) + "\nrest";

        var ex = Should.Throw<PromqlSyntaxException>(() => PromqlLexer.Tokenize(input));

        ex.Offset.ShouldBe(11);
        ex.Message.ShouldNotContain("\n");
        ex.Message.Length.ShouldBeLessThan(200);
        ex.Message.ShouldContain("(5006 characters)");
    }
}
