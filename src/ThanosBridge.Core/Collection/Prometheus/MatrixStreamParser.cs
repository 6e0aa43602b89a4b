using System.Text.Json;

namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>
/// Parses a <c>query_range</c> response fed to it in consecutive chunks and hands out each series of
/// <c>data.result</c> as soon as its last byte has arrived, so that a caller can reduce it and let it go: the parser
/// holds at most one series' JSON, however large the answer. The envelope's fields may come in any order.
/// </summary>
internal sealed class MatrixStreamParser(Action<Series> onSeries)
{
    private static readonly PrometheusJsonSeriesConverter SeriesConverter = new();

    private enum Position
    {
        Start,
        Envelope,
        Data,
        Result,
        End,
    }

    private JsonReaderState state;
    private Position position = Position.Start;

    public string? Status { get; private set; }

    public string? ErrorType { get; private set; }

    public string? Error { get; private set; }

    public List<string>? Warnings { get; private set; }

    public bool HasData { get; private set; }

    public string? ResultType { get; private set; }

    public bool HasResult { get; private set; }

    /// <summary>An element of <c>result</c> that is not an object (a scalar's or string's pair, or null).</summary>
    public bool HasNonSeriesElement { get; private set; }

    public bool IsEnvelopeNull { get; private set; }

    /// <summary>Parses what it can of <paramref name="buffer"/>; returns how many bytes it consumed (the rest is kept for the next call).</summary>
    /// <exception cref="JsonException">The input is not JSON, or not shaped like a Prometheus response.</exception>
    public int Parse(ReadOnlySpan<byte> buffer, bool isFinalBlock)
    {
        var reader = new Utf8JsonReader(buffer, isFinalBlock, state);
        while (true)
        {
            var checkpoint = reader;
            if (!Step(ref reader, buffer))
            {
                reader = checkpoint;
                if (isFinalBlock)
                {
                    throw new JsonException(position == Position.Start ? "the response body is empty" : "the response ends early");
                }

                break;
            }

            if (position == Position.End)
            {
                if (reader.Read())
                {
                    throw new JsonException("data after the response object");
                }

                break;
            }
        }

        state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    public bool IsComplete => position == Position.End;

    /// <summary>One token, or one property with its whole value unless that value is descended into; false if the buffer ends first.</summary>
    private bool Step(ref Utf8JsonReader reader, ReadOnlySpan<byte> buffer)
    {
        if (!reader.Read())
        {
            return false;
        }

        switch (position)
        {
            case Position.Start:
                if (reader.TokenType == JsonTokenType.Null)
                {
                    IsEnvelopeNull = true;
                    position = Position.End;
                    return true;
                }

                Expect(ref reader, JsonTokenType.StartObject, "the response");
                position = Position.Envelope;
                return true;

            case Position.Envelope:
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    position = Position.End;
                    return true;
                }

                return EnvelopeProperty(ref reader);

            case Position.Data:
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    position = Position.Envelope;
                    return true;
                }

                return DataProperty(ref reader);

            case Position.Result:
                return ResultElement(ref reader, buffer);

            default:
                throw new JsonException("data after the response object");
        }
    }

    private bool EnvelopeProperty(ref Utf8JsonReader reader)
    {
        var name = reader.GetString();
        if (!reader.Read())
        {
            return false;
        }

        switch (name)
        {
            case "status":
                Status = ReadString(ref reader, name);
                return true;
            case "errorType":
                ErrorType = ReadString(ref reader, name);
                return true;
            case "error":
                Error = ReadString(ref reader, name);
                return true;
            case "warnings":
                return ReadWarnings(ref reader);
            case "data" when reader.TokenType == JsonTokenType.StartObject:
                HasData = true;
                position = Position.Data;
                return true;
            case "data" when reader.TokenType == JsonTokenType.Null:
                return true;
            case "data":
                throw new JsonException($"data: expected an object, found {reader.TokenType}");
            default:
                return reader.TrySkip();
        }
    }

    private bool DataProperty(ref Utf8JsonReader reader)
    {
        var name = reader.GetString();
        if (!reader.Read())
        {
            return false;
        }

        switch (name)
        {
            case "resultType":
                ResultType = ReadString(ref reader, name);
                return true;
            case "result" when reader.TokenType == JsonTokenType.StartArray && ResultType is not (null or "matrix"):
                // Not a matrix (the reader says so): nothing of it is handed out.
                if (!reader.TrySkip())
                {
                    return false;
                }

                HasResult = true;
                return true;
            case "result" when reader.TokenType == JsonTokenType.StartArray:
                HasResult = true;
                position = Position.Result;
                return true;
            case "result" when reader.TokenType == JsonTokenType.Null:
                return true;
            case "result":
                throw new JsonException($"result: expected an array, found {reader.TokenType}");
            default:
                return reader.TrySkip();
        }
    }

    private bool ResultElement(ref Utf8JsonReader reader, ReadOnlySpan<byte> buffer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.EndArray:
                position = Position.Data;
                return true;
            case JsonTokenType.StartObject:
                var start = (int)reader.TokenStartIndex;
                if (!reader.TrySkip())
                {
                    return false;
                }

                // The whole element is in the buffer now: read it again, as a complete value, with the series converter.
                onSeries(ReadSeries(buffer[start..(int)reader.BytesConsumed]));
                return true;
            case JsonTokenType.StartArray:
                HasNonSeriesElement = true;
                return reader.TrySkip();
            default:
                HasNonSeriesElement = true;
                return true;
        }
    }

    private static Series ReadSeries(ReadOnlySpan<byte> element)
    {
        var reader = new Utf8JsonReader(element, isFinalBlock: true, state: default);
        reader.Read();
        return SeriesConverter.Read(ref reader, typeof(Series), PrometheusJsonReader.SerializerOptions)
            ?? throw new JsonException("a series element reads as null");
    }

    private bool ReadWarnings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        Expect(ref reader, JsonTokenType.StartArray, "warnings");
        var start = reader;
        if (!reader.TrySkip())
        {
            return false;
        }

        var warnings = new List<string>();
        while (start.Read() && start.TokenType != JsonTokenType.EndArray)
        {
            warnings.Add(ReadString(ref start, "warning") ?? throw new JsonException("warnings hold a null"));
        }

        Warnings = warnings;
        return true;
    }

    private static string? ReadString(ref Utf8JsonReader reader, string what) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"{what}: expected a string, found {reader.TokenType}"),
    };

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType expected, string what)
    {
        if (reader.TokenType != expected)
        {
            throw new JsonException($"{what}: expected {expected}, found {reader.TokenType}");
        }
    }
}
