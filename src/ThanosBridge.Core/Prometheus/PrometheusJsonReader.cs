using System.Text.Json;

namespace ThanosBridge.Core.Prometheus;

/// <summary>
/// Reads Prometheus HTTP API responses (<c>docs/querying/api.md</c>) from a stream. The body is deserialized
/// incrementally: only one series at a time is buffered, never the whole response, because a matrix for a big
/// cluster runs to tens of megabytes.
/// </summary>
public static class PrometheusJsonReader
{
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
        var envelope = await DeserializeAsync<PrometheusJsonEnvelope<PrometheusJsonMatrixData>>(body, cancellationToken);
        var data = envelope.Data ?? throw new PrometheusResponseFormatException("response has no data");
        if (data.ResultType != "matrix")
        {
            throw new PrometheusResponseFormatException(
                $"resultType is \"{data.ResultType}\", expected \"matrix\" for a range query");
        }

        var series = data.Result ?? throw new PrometheusResponseFormatException("matrix response has no result");
        if (series.Contains(null))
        {
            throw new PrometheusResponseFormatException("matrix result holds an element that is not a series");
        }

        return new QueryResult(series!, envelope.Warnings ?? []);
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
