using System.Globalization;

namespace ThanosBridge.Core.Collection.Promql;

/// <summary>Values of number and duration tokens, with Prometheus' rules.</summary>
internal static class PromqlLiterals
{
    private const long MillisecondsPerSecond = 1000;

    // model.ParseDuration: units in this order, each at most once; a year is 365 days.
    private static readonly (string Unit, long Milliseconds)[] Units =
    [
        ("y", 365L * 24 * 3600 * MillisecondsPerSecond),
        ("w", 7L * 24 * 3600 * MillisecondsPerSecond),
        ("d", 24L * 3600 * MillisecondsPerSecond),
        ("h", 3600L * MillisecondsPerSecond),
        ("m", 60L * MillisecondsPerSecond),
        ("s", MillisecondsPerSecond),
        ("ms", 1),
    ];

    /// <summary>The value of a Number token: decimal, hex, exponent, Inf or NaN, with optional '_' separators.</summary>
    public static double ParseNumber(string text)
    {
        if (string.Equals(text, "inf", StringComparison.OrdinalIgnoreCase))
        {
            return double.PositiveInfinity;
        }

        if (string.Equals(text, "nan", StringComparison.OrdinalIgnoreCase))
        {
            return double.NaN;
        }

        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (digits.Length > 2 && digits[0] == '0' && (digits[1] is 'x' or 'X'))
        {
            // Accumulate as double: hex literals beyond 64 bits are valid and become large floats, as in Go.
            var value = 0.0;
            foreach (var c in digits.AsSpan(2))
            {
                value = (value * 16) + HexValue(c);
            }

            return value;
        }

        return double.Parse(digits, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The value of a Duration token such as <c>1h30m</c>, or null when the units are out of order, repeated
    /// or unknown, or the value does not fit.
    /// </summary>
    public static TimeSpan? TryParseDuration(string text)
    {
        var total = 0L;
        var pos = 0;
        var nextUnit = 0;
        while (pos < text.Length)
        {
            var digitsStart = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            {
                pos++;
            }

            if (pos == digitsStart || pos == text.Length)
            {
                return null;
            }

            var unitStart = pos;
            while (pos < text.Length && char.IsAsciiLetter(text[pos]))
            {
                pos++;
            }

            var unit = text[unitStart..pos];
            var index = Array.FindIndex(Units, nextUnit, u => u.Unit == unit);
            if (index < 0 || !long.TryParse(text.AsSpan(digitsStart, unitStart - digitsStart), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return null;
            }

            nextUnit = index + 1;
            try
            {
                total = checked(total + checked(count * Units[index].Milliseconds));
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        return total > TimeSpan.MaxValue.TotalMilliseconds ? null : TimeSpan.FromMilliseconds(total);
    }

    /// <summary>Seconds (a number written where a duration is expected) as a duration, or null if out of range.</summary>
    public static TimeSpan? SecondsToDuration(double seconds)
    {
        if (double.IsNaN(seconds) || Math.Abs(seconds) >= TimeSpan.MaxValue.TotalSeconds)
        {
            return null;
        }

        return TimeSpan.FromMilliseconds(Math.Round(seconds * MillisecondsPerSecond));
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => c - 'A' + 10,
    };
}
