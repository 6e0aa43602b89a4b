using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>
/// Writes a <see cref="QueryResult"/> as a Prometheus <c>query_range</c> response, spelling timestamps and values
/// as Prometheus does (<c>util/jsonutil</c>), so that recorded responses replay through
/// <see cref="PrometheusJsonReader"/> unchanged and diff cleanly against real ones.
/// </summary>
public static class PrometheusJsonWriter
{
    private const int FlushThreshold = 64 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Files, not HTML: keep "+Inf" and non-ASCII label values readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(QueryResult result, Stream destination)
    {
        using var writer = new Utf8JsonWriter(destination, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("status"u8, "success"u8);
        writer.WriteStartObject("data"u8);
        writer.WriteString("resultType"u8, "matrix"u8);
        writer.WriteStartArray("result"u8);
        foreach (var series in result.Series)
        {
            WriteSeries(writer, series);
            if (writer.BytesPending > FlushThreshold)
            {
                writer.Flush();
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        if (result.Warnings.Count > 0)
        {
            writer.WriteStartArray("warnings"u8);
            foreach (var warning in result.Warnings)
            {
                writer.WriteStringValue(warning);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>
    /// A sample value as Prometheus writes it: Go's <c>strconv.FormatFloat</c> with the shortest round-trip digits,
    /// format 'e' below 1e-6 or from 1e21 on and 'f' otherwise, and <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>.
    /// </summary>
    public static string FormatValue(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var (digits, pointPosition) = ShortestDigits(value);
        var sign = value < 0 ? "-" : "";
        var abs = Math.Abs(value);
        if (abs < 1e-6 || abs >= 1e21)
        {
            var exponent = pointPosition - 1;
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            var exponentSign = exponent < 0 ? "-" : "+";
            return sign + mantissa + "e" + exponentSign +
                Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        if (pointPosition <= 0)
        {
            return sign + "0." + new string('0', -pointPosition) + digits;
        }

        return pointPosition >= digits.Length
            ? sign + digits + new string('0', pointPosition - digits.Length)
            : sign + digits[..pointPosition] + "." + digits[pointPosition..];
    }

    /// <summary>
    /// A timestamp as Prometheus writes it: Unix seconds, then '.' and three millisecond digits when the
    /// milliseconds are not zero (Prometheus's <c>marshalTimestamp</c> does not trim trailing zeros).
    /// </summary>
    public static string FormatTimestamp(long timestampMs)
    {
        var sign = timestampMs < 0 ? "-" : "";
        var abs = Math.Abs(timestampMs);
        var seconds = (abs / 1000).ToString(CultureInfo.InvariantCulture);
        var fraction = abs % 1000;
        return fraction == 0
            ? sign + seconds
            : sign + seconds + "." + fraction.ToString("000", CultureInfo.InvariantCulture);
    }

    private static void WriteSeries(Utf8JsonWriter writer, Series series)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("metric"u8);
        foreach (var (name, value) in series.Labels.All)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
        writer.WriteStartArray("values"u8);
        foreach (var sample in series.Samples)
        {
            writer.WriteStartArray();
            writer.WriteRawValue(FormatTimestamp(sample.TimestampMs), skipInputValidation: true);
            writer.WriteStringValue(FormatValue(sample.Value));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>
    /// The shortest round-trip significant digits of a finite non-zero value, without leading or trailing zeros,
    /// and where the decimal point goes: |value| = 0.Digits × 10^PointPosition.
    /// </summary>
    private static (string Digits, int PointPosition) ShortestDigits(double value)
    {
        // "R" is the shortest round-trip form on .NET Core 3.0+; only its layout differs from Go's.
        var text = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? text : text[..dot];
        var fractionPart = dot < 0 ? "" : text[(dot + 1)..];
        var digits = integerPart + fractionPart;
        var pointPosition = integerPart.Length + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        return (digits.Trim('0'), pointPosition - leadingZeros);
    }
}
