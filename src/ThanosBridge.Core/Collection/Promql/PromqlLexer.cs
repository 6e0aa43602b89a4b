// Over 300 lines on purpose: one tokenizer state machine that mirrors Prometheus' lex.go state by state, so that the
// two can be compared side by side.
using System.Collections.Frozen;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>
/// Splits a PromQL expression into tokens, following Prometheus' <c>promql/parser/lex.go</c>: the lexer tracks
/// whether it is inside braces (label matchers) or brackets (ranges), because those contexts lex differently.
/// </summary>
public static class PromqlLexer
{
    /// <summary>The keywords; PromQL matches them case-insensitively.</summary>
    internal static readonly FrozenSet<string> Keywords = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "and", "or", "unless", "atan2",
        "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values",
        "quantile", "limitk", "limit_ratio",
        "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "start", "end");

    /// <summary>Tokenizes <paramref name="expression"/>; the last token is always <see cref="PromqlTokenKind.EndOfInput"/>.</summary>
    /// <exception cref="PromqlSyntaxException">A character sequence is not valid PromQL.</exception>
    public static IReadOnlyList<PromqlToken> Tokenize(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        return new Scanner(expression).Run();
    }

    private sealed class Scanner(string source)
    {
        private readonly List<PromqlToken> tokens = [];
        private int pos;
        private int openBrace = -1;
        private int openBracket = -1;

        public List<PromqlToken> Run()
        {
            while (pos < source.Length)
            {
                var c = source[pos];
                if (c is ' ' or '\t' or '\n' or '\r')
                {
                    pos++;
                }
                else if (c == '#')
                {
                    var end = source.IndexOf('\n', pos);
                    Emit(PromqlTokenKind.Comment, (end < 0 ? source.Length : end) - pos);
                }
                else if (openBrace >= 0)
                {
                    InsideBraces(c);
                }
                else if (openBracket >= 0)
                {
                    InsideBrackets(c);
                }
                else
                {
                    Statement(c);
                }
            }

            if (openBrace >= 0)
            {
                throw Error("unclosed left brace", openBrace);
            }

            if (openBracket >= 0)
            {
                throw Error("unclosed left bracket", openBracket);
            }

            tokens.Add(new PromqlToken(PromqlTokenKind.EndOfInput, source.Length, ""));
            return tokens;
        }

        private void Statement(char c)
        {
            switch (c)
            {
                case '(': Emit(PromqlTokenKind.LeftParen, 1); break;
                case ')': Emit(PromqlTokenKind.RightParen, 1); break;
                case ',': Emit(PromqlTokenKind.Comma, 1); break;
                case '@': Emit(PromqlTokenKind.At, 1); break;
                case '+': Emit(PromqlTokenKind.Plus, 1); break;
                case '-': Emit(PromqlTokenKind.Minus, 1); break;
                case '*': Emit(PromqlTokenKind.Star, 1); break;
                case '/': Emit(PromqlTokenKind.Slash, 1); break;
                case '%': Emit(PromqlTokenKind.Percent, 1); break;
                case '^': Emit(PromqlTokenKind.Caret, 1); break;
                case '{':
                    openBrace = pos;
                    Emit(PromqlTokenKind.LeftBrace, 1);
                    break;
                case '[':
                    openBracket = pos;
                    Emit(PromqlTokenKind.LeftBracket, 1);
                    break;
                case '}': throw Error("unexpected right brace", pos);
                case ']': throw Error("unexpected right bracket", pos);
                case '=':
                    if (Peek(1) == '~')
                    {
                        throw Error("unexpected character after '=': '~' (regex matchers are only allowed inside braces)", pos + 1);
                    }

                    Emit(Peek(1) == '=' ? PromqlTokenKind.EqualEqual : PromqlTokenKind.Assign, Peek(1) == '=' ? 2 : 1);
                    break;
                case '!':
                    if (Peek(1) != '=')
                    {
                        throw Error("unexpected character after '!': expected '='", pos);
                    }

                    Emit(PromqlTokenKind.NotEqual, 2);
                    break;
                case '<':
                    Emit(Peek(1) == '=' ? PromqlTokenKind.LessOrEqual : PromqlTokenKind.Less, Peek(1) == '=' ? 2 : 1);
                    break;
                case '>':
                    Emit(Peek(1) == '=' ? PromqlTokenKind.GreaterOrEqual : PromqlTokenKind.Greater, Peek(1) == '=' ? 2 : 1);
                    break;
                case '"' or '\'': QuotedString(c); break;
                case '`': RawString(); break;
                case '.' or (>= '0' and <= '9'): NumberOrDuration(); break;
                case ':' or '_' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z'): Word(); break;
                default: throw Error($"unexpected character {Describe(c)}", pos);
            }
        }

        private void InsideBraces(char c)
        {
            switch (c)
            {
                case ',': Emit(PromqlTokenKind.Comma, 1); break;
                case '"' or '\'': QuotedString(c); break;
                case '`': RawString(); break;
                case '=':
                    Emit(Peek(1) == '~' ? PromqlTokenKind.RegexMatch : PromqlTokenKind.Assign, Peek(1) == '~' ? 2 : 1);
                    break;
                case '!':
                    var kind = Peek(1) switch
                    {
                        '=' => PromqlTokenKind.NotEqual,
                        '~' => PromqlTokenKind.RegexNoMatch,
                        _ => throw Error("unexpected character after '!' inside braces: expected '=' or '~'", pos),
                    };
                    Emit(kind, 2);
                    break;
                case '}':
                    openBrace = -1;
                    Emit(PromqlTokenKind.RightBrace, 1);
                    break;
                case '{': throw Error("unexpected left brace inside braces", pos);
                case '_' or (>= 'a' and <= 'z') or (>= 'A' and <= 'Z'):
                    // Label names: letters, digits and '_' only; no colons and no keywords inside braces.
                    var end = pos + 1;
                    while (end < source.Length && IsAlphaNumeric(source[end]))
                    {
                        end++;
                    }

                    Emit(PromqlTokenKind.Identifier, end - pos);
                    break;
                default: throw Error($"unexpected character inside braces: {Describe(c)}", pos);
            }
        }

        private void InsideBrackets(char c)
        {
            switch (c)
            {
                case ':': Emit(PromqlTokenKind.Colon, 1); break;
                case ']':
                    openBracket = -1;
                    Emit(PromqlTokenKind.RightBracket, 1);
                    break;
                case '[': throw Error("unexpected left bracket inside brackets", pos);
                case '.' or (>= '0' and <= '9'): NumberOrDuration(); break;
                default: throw Error($"unexpected character inside brackets: {Describe(c)}", pos);
            }
        }

        private void Word()
        {
            var end = pos + 1;
            while (end < source.Length && (IsAlphaNumeric(source[end]) || source[end] == ':'))
            {
                end++;
            }

            var word = source.AsSpan(pos, end - pos);
            var kind = word.Contains(':') ? PromqlTokenKind.MetricIdentifier
                : Keywords.Contains(word.ToString()) ? PromqlTokenKind.Keyword
                : word.Equals("inf", StringComparison.OrdinalIgnoreCase) || word.Equals("nan", StringComparison.OrdinalIgnoreCase)
                    ? PromqlTokenKind.Number
                    : PromqlTokenKind.Identifier;
            Emit(kind, end - pos);
        }

        private void NumberOrDuration()
        {
            var start = pos;
            var end = pos;
            var plainInteger = true;
            if (Peek(0) == '0' && Peek(1) is 'x' or 'X')
            {
                end = ScanDigits(pos + 2, IsHexDigit);
                plainInteger = false;
                if (end == pos + 2)
                {
                    throw BadNumber(end);
                }
            }
            else
            {
                end = ScanDigits(end, char.IsAsciiDigit);
                plainInteger = end > start && !source.AsSpan(start, end - start).Contains('_');
                if (At(end) == '.')
                {
                    plainInteger = false;
                    end = ScanDigits(end + 1, char.IsAsciiDigit);
                }

                if (end == start || (end == start + 1 && source[start] == '.'))
                {
                    throw BadNumber(end);
                }

                if (At(end) is 'e' or 'E')
                {
                    var expStart = At(end + 1) is '+' or '-' ? end + 2 : end + 1;
                    var expEnd = ScanDigits(expStart, char.IsAsciiDigit);
                    if (expEnd == expStart)
                    {
                        throw BadNumber(end);
                    }

                    plainInteger = false;
                    end = expEnd;
                }
            }

            if (!IsAlphaNumeric(At(end)) && At(end) != '.')
            {
                pos = start;
                Emit(PromqlTokenKind.Number, end - start);
                return;
            }

            // Digits followed by a unit: a duration such as 5m, 1h30m or 100ms.
            if (!plainInteger)
            {
                throw BadNumber(end);
            }

            while (IsAlphaNumeric(At(end)))
            {
                end++;
            }

            if (At(end) == '.' || PromqlLiterals.TryParseDuration(source[start..end]) is null)
            {
                throw Error($"bad number or duration syntax: {PromqlStrings.ForDisplay(source[start..end])}", start);
            }

            pos = start;
            Emit(PromqlTokenKind.Duration, end - start);

            PromqlSyntaxException BadNumber(int at)
            {
                var stop = at;
                while (IsAlphaNumeric(At(stop)) || At(stop) == '.')
                {
                    stop++;
                }

                return Error($"bad number or duration syntax: {PromqlStrings.ForDisplay(source[start..Math.Max(stop, start + 1)])}", start);
            }
        }

        // Digits with single '_' separators between them (Go/Prometheus number syntax).
        private int ScanDigits(int from, Func<char, bool> isDigit)
        {
            var end = from;
            while (isDigit(At(end)) || (At(end) == '_' && end > from && isDigit(At(end - 1)) && isDigit(At(end + 1))))
            {
                end++;
            }

            return end;
        }

        private void QuotedString(char quote)
        {
            var start = pos;
            var i = pos + 1;
            while (true)
            {
                var c = At(i);
                if (i >= source.Length || c == '\n')
                {
                    throw Error("unterminated quoted string", start);
                }

                if (c == quote)
                {
                    break;
                }

                i = c == '\\' ? Escape(i, quote) : i + 1;
            }

            Emit(PromqlTokenKind.QuotedString, i + 1 - start);
        }

        // Validates the escape at i (the backslash) as Go does and returns the index after it.
        private int Escape(int i, char quote)
        {
            var c = At(i + 1);
            if (i + 1 >= source.Length)
            {
                throw Error("escape sequence not terminated", i);
            }

            if (c == quote || c is 'a' or 'b' or 'f' or 'n' or 'r' or 't' or 'v' or '\\')
            {
                return i + 2;
            }

            var (first, count, radix, max) = c switch
            {
                >= '0' and <= '7' => (i + 1, 3, 8, 255),
                'x' => (i + 2, 2, 16, 255),
                'u' => (i + 2, 4, 16, 0x10FFFF),
                'U' => (i + 2, 8, 16, 0x10FFFF),
                _ => throw Error($"unknown escape sequence {Describe(c)}", i),
            };
            var value = 0L;
            for (var k = first; k < first + count; k++)
            {
                var d = At(k);
                var digit = radix == 8 ? (d is >= '0' and <= '7' ? d - '0' : -1) : (IsHexDigit(d) ? HexValue(d) : -1);
                if (digit < 0 || k >= source.Length)
                {
                    throw Error("illegal character in escape sequence", i);
                }

                value = (value * radix) + digit;
            }

            if (value > max || (value is >= 0xD800 and <= 0xDFFF && radix == 16 && count > 2))
            {
                throw Error("escape sequence is an invalid Unicode code point", i);
            }

            return first + count;
        }

        private void RawString()
        {
            var end = source.IndexOf('`', pos + 1);
            if (end < 0)
            {
                throw Error("unterminated raw string", pos);
            }

            Emit(PromqlTokenKind.QuotedString, end + 1 - pos);
        }

        private void Emit(PromqlTokenKind kind, int length)
        {
            tokens.Add(new PromqlToken(kind, pos, source.Substring(pos, length)));
            pos += length;
        }

        private char Peek(int ahead) => At(pos + ahead);

        private char At(int index) => index < source.Length ? source[index] : '\0';

        private PromqlSyntaxException Error(string reason, int offset) => new(reason, offset, source);

        private static bool IsAlphaNumeric(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

        private static bool IsHexDigit(char c) => char.IsAsciiHexDigit(c);

        private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

        private static string Describe(char c) =>
            c is >= ' ' and <= '~' ? $"'{c}'" : $"U+{(int)c:X4}";
    }
}
