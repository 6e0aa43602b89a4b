using System.Text;
using System.Text.Json;
using ThanosBridge.Core.Collection.Prometheus;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>One scripted answer of <see cref="FakeThanosServer"/>.</summary>
public sealed record FakeResponse
{
    public int Status { get; init; } = 200;

    public string Body { get; init; } = "";

    public string ContentType { get; init; } = "application/json";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Real time to wait before answering; <see cref="Timeout.InfiniteTimeSpan"/> hangs until the client gives up.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>
    /// Send the head with the full Content-Length and only this many body bytes, then end the connection: the
    /// client sees its body end early (over plain HTTP deterministically after those bytes). Beyond WireMock: done by
    /// <see cref="StreamFaultMiddleware"/>.
    /// </summary>
    public int? CutAfterBytes { get; init; }

    /// <summary>
    /// Send only this many body bytes, then hold the connection open until the client gives up. Beyond WireMock: done
    /// by <see cref="StreamFaultMiddleware"/>.
    /// </summary>
    public int? StallAfterBytes { get; init; }

    public static FakeResponse Matrix(QueryResult result)
    {
        using var buffer = new MemoryStream();
        PrometheusJsonWriter.Write(result, buffer);
        return new FakeResponse { Body = Encoding.UTF8.GetString(buffer.ToArray()) };
    }

    public static FakeResponse Matrix(params Series[] series) => Matrix(new QueryResult(series, []));

    /// <summary>Prometheus's error envelope, e.g. 400 <c>bad_data</c>, 422 <c>execution</c>, 503 <c>timeout</c>.</summary>
    public static FakeResponse Error(int status, string errorType, string error) => new()
    {
        Status = status,
        Body = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["status"] = "error",
            ["errorType"] = errorType,
            ["error"] = error,
        }),
    };

    public static FakeResponse LabelValues(params string[] values) => new()
    {
        Body = JsonSerializer.Serialize(new Dictionary<string, object> { ["status"] = "success", ["data"] = values }),
    };

    public static FakeResponse Text(int status, string body, string contentType = "text/plain") =>
        new() { Status = status, Body = body, ContentType = contentType };

    /// <summary>Never answers; the request ends when the client cancels it.</summary>
    public static FakeResponse Hang() => new() { Delay = Timeout.InfiniteTimeSpan };

    public FakeResponse WithHeader(string name, string value) =>
        this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };
}
