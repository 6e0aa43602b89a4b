using System.Text.Json;

namespace ThanosBridge.Core.Collection.Prometheus;

/// <summary>
/// Reads Prometheus HTTP API responses (<c>docs/querying/api.md</c>) from a stream. The body is parsed
/// incrementally: only one series at a time is buffered, never the whole response, because a matrix for a big
/// cluster runs to tens of megabytes; a caller that reduces each series as it arrives never holds the answer at all.
/// </summary>
public static class PrometheusJsonReader
{
    // The first chunk size of a query_range body; the buffer doubles only for a single series larger than it.
    private const int ChunkBytes = 32 * 1024;

    internal static JsonSerializerOptions SerializerOptions => Options;

    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new PrometheusJsonSeriesConverter() },
        DefaultBufferSize = 16 * 1024,
    };

    /// <summary>Reads a <c>/api/v1/query_range</c> response, which must be a matrix.</summary>
    /// <exception cref="PrometheusApiException">The response is the error envelope.</exception>
    /// <exception cref="PrometheusResponseFormatException">The body is not a matrix response.</exception>
    /// <remarks>I/O errors of <paramref name="body"/> (a connection cut mid-body) propagate unchanged.</remarks>
    public static async Task<QueryResult> ReadQueryRangeAsync(Stream body, CancellationToken cancellationToken)
    {
        var series = new List<Series>();
        var warnings = await ReadQueryRangeAsync(body, series.Add, cancellationToken);
        return new QueryResult(series, warnings);
    }

    /// <summary>
    /// Reads a <c>/api/v1/query_range</c> response and hands each series to <paramref name="onSeries"/> as soon as it has
    /// been read, in response order; returns the response's warnings. When it throws, series already handed out belong
    /// to an answer that is not valid and must be dropped.
    /// </summary>
    /// <exception cref="PrometheusApiException">The response is the error envelope.</exception>
    /// <exception cref="PrometheusResponseFormatException">The body is not a matrix response.</exception>
    /// <remarks>I/O errors of <paramref name="body"/> (a connection cut mid-body) propagate unchanged.</remarks>
    public static async Task<IReadOnlyList<string>> ReadQueryRangeAsync(Stream body, Action<Series> onSeries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(onSeries);
        var parser = new MatrixStreamParser(onSeries);
        var buffer = new byte[ChunkBytes];
        var filled = 0;
        try
        {
            while (!parser.IsComplete)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                filled += read;
                var consumed = parser.Parse(buffer.AsSpan(0, filled), isFinalBlock: read == 0);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (JsonException e)
        {
            throw new PrometheusResponseFormatException("response is not valid Prometheus API JSON: " + e.Message, e);
        }

        if (parser.IsEnvelopeNull)
        {
            throw new PrometheusResponseFormatException("response is JSON null");
        }

        switch (parser.Status)
        {
            case "success":
                break;
            case "error":
                throw new PrometheusApiException(parser.ErrorType ?? "", parser.Error ?? "");
            case null:
                throw new PrometheusResponseFormatException("response has no status");
            default:
                throw new PrometheusResponseFormatException($"unknown response status \"{parser.Status}\"");
        }

        if (!parser.HasData)
        {
            throw new PrometheusResponseFormatException("response has no data");
        }

        if (parser.ResultType != "matrix")
        {
            throw new PrometheusResponseFormatException($"resultType is \"{parser.ResultType}\", expected \"matrix\" for a range query");
        }

        if (!parser.HasResult)
        {
            throw new PrometheusResponseFormatException("matrix response has no result");
        }

        return parser.HasNonSeriesElement
            ? throw new PrometheusResponseFormatException("matrix result holds an element that is not a series")
            : parser.Warnings ?? [];
    }

    /// <summary>Reads a <c>/api/v1/label/&lt;name&gt;/values</c> response.</summary>
    /// <exception cref="PrometheusApiException">The response is the error envelope.</exception>
    /// <exception cref="PrometheusResponseFormatException">The body is not a list of strings.</exception>
    public static async Task<IReadOnlyList<string>> ReadLabelValuesAsync(Stream body, CancellationToken cancellationToken)
    {
        var envelope = await DeserializeAsync<PrometheusJsonEnvelope<List<string>>>(body, cancellationToken);
        var values = envelope.Data ?? throw new PrometheusResponseFormatException("response has no data");
        return values.Contains(null!)
            ? throw new PrometheusResponseFormatException("label values hold a null")
            : values;
    }

    private static async Task<T> DeserializeAsync<T>(Stream body, CancellationToken cancellationToken)
        where T : PrometheusJsonEnvelope
    {
        T? envelope;
        try
        {
            envelope = await JsonSerializer.DeserializeAsync<T>(body, Options, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new PrometheusResponseFormatException("response is not valid Prometheus API JSON: " + e.Message, e);
        }

        if (envelope is null)
        {
            throw new PrometheusResponseFormatException("response is JSON null");
        }

        return envelope.Status switch
        {
            "success" => envelope,
            "error" => throw new PrometheusApiException(envelope.ErrorType ?? "", envelope.Error ?? ""),
            null => throw new PrometheusResponseFormatException("response has no status"),
            _ => throw new PrometheusResponseFormatException($"unknown response status \"{envelope.Status}\""),
        };
    }
}
