using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>The fields of the response envelope that do not depend on the endpoint.</summary>
internal abstract class PrometheusJsonEnvelope
{
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("errorType")]
    public string? ErrorType { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("warnings")]
    public List<string>? Warnings { get; init; }
}

internal sealed class PrometheusJsonEnvelope<TData> : PrometheusJsonEnvelope
{
    [JsonPropertyName("data")]
    public TData? Data { get; init; }
}

internal sealed class PrometheusJsonMatrixData
{
    [JsonPropertyName("resultType")]
    public string? ResultType { get; init; }

    // The built-in list converter reads elements one at a time; only each series is buffered.
    [JsonPropertyName("result")]
    public List<Series?>? Result { get; init; }
}

/// <summary>
/// One matrix element: <c>{"metric":{..},"values":[[1604685600.5,"1"],..]}</c>. Elements of other result types
/// (scalars, strings) read as null so that the reader can report the result type instead of a parse error.
/// </summary>
internal sealed class PrometheusJsonSeriesConverter : JsonConverter<Series>
{
    [ThreadStatic]
    private static List<Sample>? sampleBuffer;

    public override Series? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var labels = LabelSet.Empty;
        // One buffer per thread, copied out at its exact size: a series' list no longer grows (and is copied) from 4
        // to 512 samples, which was a fifth of the bridge's CPU in garbage collection. Read is synchronous, so the
        // buffer is never shared.
        var samples = sampleBuffer ??= new List<Sample>(512);
        samples.Clear();
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            if (reader.ValueTextEquals("metric"u8))
            {
                Next(ref reader);
                labels = ReadLabels(ref reader);
            }
            else if (reader.ValueTextEquals("values"u8))
            {
                Next(ref reader);
                ReadSamples(ref reader, samples);
            }
            else
            {
                // "value" of a vector, "histograms" of native histograms: not part of a float matrix.
                Next(ref reader);
                reader.Skip();
            }
        }

        return new Series(labels, samples.ToArray());
    }

    public override void Write(Utf8JsonWriter writer, Series value, JsonSerializerOptions options) =>
        throw new NotSupportedException("write with PrometheusJsonWriter");

    /// <summary>Parses a sample value as Go's <c>strconv.ParseFloat</c> does, including <c>+Inf</c>.</summary>
    internal static bool TryParseValue(ReadOnlySpan<byte> utf8, out double value)
    {
        if (Ascii.EqualsIgnoreCase(utf8, "NaN"u8))
        {
            value = double.NaN;
            return true;
        }

        var sign = 1.0;
        var rest = utf8;
        if (!rest.IsEmpty && (rest[0] == (byte)'+' || rest[0] == (byte)'-'))
        {
            sign = rest[0] == (byte)'-' ? -1.0 : 1.0;
            rest = rest[1..];
        }

        if (Ascii.EqualsIgnoreCase(rest, "Inf"u8) || Ascii.EqualsIgnoreCase(rest, "Infinity"u8))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        // Strict: no whitespace or thousands separators, which Go rejects too.
        const NumberStyles style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        return double.TryParse(utf8, style, CultureInfo.InvariantCulture, out value);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        // The serializer hands a converter the whole element, so running out of tokens means malformed input.
        if (!reader.Read())
        {
            throw new JsonException("series element ends early");
        }

        return reader.TokenType;
    }

    private static LabelSet ReadLabels(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject, "metric");
        var labels = new List<KeyValuePair<string, string>>();
        while (Next(ref reader) != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            Next(ref reader);
            Expect(ref reader, JsonTokenType.String, "label value");
            labels.Add(KeyValuePair.Create(name, reader.GetString()!));
        }

        return labels.Count == 0 ? LabelSet.Empty : new LabelSet(labels);
    }

    private static void ReadSamples(ref Utf8JsonReader reader, List<Sample> samples)
    {
        Expect(ref reader, JsonTokenType.StartArray, "values");
        while (Next(ref reader) != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartArray, "sample");
            Next(ref reader);
            Expect(ref reader, JsonTokenType.Number, "sample timestamp");
            var timestampMs = ReadTimestampMs(ref reader);

            Next(ref reader);
            Expect(ref reader, JsonTokenType.String, "sample value");
            var value = ParseValue(ref reader);
            Next(ref reader);
            Expect(ref reader, JsonTokenType.EndArray, "end of sample");

            samples.Add(new Sample(timestampMs, value));
        }
    }

    /// <summary>
    /// A sample timestamp in milliseconds, rounded half away from zero. Prometheus writes seconds with at most three
    /// decimals ("1604685600", "1604685600.123"), read here digit by digit; any other form (more decimals, an exponent)
    /// goes through decimal, which keeps it exact too.
    /// </summary>
    internal static long ReadTimestampMs(ref Utf8JsonReader reader)
    {
        if (!reader.HasValueSequence && TryParsePlainSeconds(reader.ValueSpan, out var ms))
        {
            return ms;
        }

        if (!reader.TryGetDecimal(out var seconds))
        {
            throw new JsonException("sample timestamp out of range");
        }

        return (long)decimal.Round(seconds * 1000m, MidpointRounding.AwayFromZero);
    }

    /// <summary>[-]digits[.d[d[d]]] with at most 15 integer digits (so nothing overflows), as milliseconds.</summary>
    internal static bool TryParsePlainSeconds(ReadOnlySpan<byte> text, out long milliseconds)
    {
        milliseconds = 0;
        var negative = !text.IsEmpty && text[0] == (byte)'-';
        var i = negative ? 1 : 0;
        var start = i;
        long whole = 0;
        while (i < text.Length && char.IsAsciiDigit((char)text[i]))
        {
            whole = (whole * 10) + (text[i] - '0');
            i++;
        }

        if (i == start || i - start > 15)
        {
            return false;
        }

        long fraction = 0;
        var fractionDigits = 0;
        if (i < text.Length)
        {
            if (text[i] != (byte)'.')
            {
                return false;
            }

            i++;
            while (i < text.Length && char.IsAsciiDigit((char)text[i]) && fractionDigits < 3)
            {
                fraction = (fraction * 10) + (text[i] - '0');
                fractionDigits++;
                i++;
            }

            if (i != text.Length || fractionDigits == 0)
            {
                return false;
            }
        }

        for (var d = fractionDigits; d < 3; d++)
        {
            fraction *= 10;
        }

        var value = (whole * 1000) + fraction;
        milliseconds = negative ? -value : value;
        return true;
    }

    private static double ParseValue(ref Utf8JsonReader reader)
    {
        // Values are short ASCII; escapes or a split buffer are rare enough to take the allocating path.
        var text = reader.ValueIsEscaped || reader.HasValueSequence
            ? Encoding.UTF8.GetBytes(reader.GetString()!)
            : reader.ValueSpan;
        return TryParseValue(text, out var value)
            ? value
            : throw new JsonException($"sample value \"{reader.GetString()}\" is not a number");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"{what}: expected {expected}, found {reader.TokenType}");
        }
    }
}
