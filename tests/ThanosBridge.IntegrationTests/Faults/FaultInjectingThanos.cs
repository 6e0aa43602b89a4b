using System.Text;
using System.Text.Json.Nodes;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.IntegrationTests.Faults;

/// <summary>
/// What the front answers instead of Prometheus for a faulted request; <c>forward</c> fetches the real answer (for
/// faults that damage it, such as a cut body or added warnings).
/// </summary>
internal delegate FakeResponse ThanosFault(RecordedRequest request, Func<FakeResponse> forward);

/// <summary>
/// A Thanos Query front on loopback (a <see cref="FakeThanosServer"/>) that forwards every request to the stack's real
/// Prometheus (same method, path and query/form parameters; status, content type and body returned as they came),
/// except requests whose <c>query</c> names a faulted cluster's id: those get the scripted <see cref="ThanosFault"/>,
/// as often as scripted. Point THANOS_QUERY_URL at <see cref="Url"/>.
/// </summary>
internal sealed class FaultInjectingThanos : IAsyncDisposable
{
    private readonly FakeThanosServer server;
    private readonly HttpClient upstream;
    private readonly Lock gate = new();
    private readonly Dictionary<string, (ThanosFault Fault, int Remaining)> faults = new(StringComparer.Ordinal);
    private readonly List<(string ClusterId, RecordedRequest Request)> faulted = [];

    private FaultInjectingThanos(FakeThanosServer server)
    {
        this.server = server;
        var target = StackEnvironment.Current.ThanosQueryUrl.ToString();
        upstream = new HttpClient { BaseAddress = new Uri(target.EndsWith('/') ? target : target + "/") };
        server.Responder = Answer;
    }

    public Uri Url => server.BaseUrl;

    /// <summary>Every request the front received, faulted or forwarded, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => server.Requests;

    public static async Task<FaultInjectingThanos> StartAsync(CancellationToken ct) => new(await FakeThanosServer.StartAsync(cancellationToken: ct));

    /// <summary>The next <paramref name="times"/> queries for <paramref name="clusterId"/> get <paramref name="fault"/>.</summary>
    public void Inject(string clusterId, ThanosFault fault, int times = int.MaxValue)
    {
        lock (gate)
        {
            faults[clusterId] = (fault, times);
        }
    }

    /// <summary>From now on every request is forwarded.</summary>
    public void Heal()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>The requests that got a fault instead of Prometheus's answer.</summary>
    public IReadOnlyList<RecordedRequest> FaultedFor(string clusterId)
    {
        lock (gate)
        {
            return [.. faulted.Where(f => f.ClusterId == clusterId).Select(f => f.Request)];
        }
    }

    /// <summary>The range/instant queries that named <paramref name="clusterId"/>, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> QueriesFor(string clusterId) =>
        [.. Requests.Where(r => r.Parameters.TryGetValue("query", out var q) && q.Contains(clusterId, StringComparison.Ordinal))];

    /// <summary>Same method, path and parameters: a retry of the same call.</summary>
    public static bool SameCall(RecordedRequest a, RecordedRequest b) =>
        a.Method == b.Method && a.Path == b.Path && a.Parameters.Count == b.Parameters.Count
        && a.Parameters.All(p => b.Parameters.TryGetValue(p.Key, out var v) && v == p.Value);

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        upstream.Dispose();
    }

    private FakeResponse Answer(RecordedRequest request)
    {
        ThanosFault? fault = null;
        if (request.Parameters.TryGetValue("query", out var query))
        {
            lock (gate)
            {
                foreach (var (clusterId, (f, remaining)) in faults)
                {
                    if (remaining > 0 && query.Contains(clusterId, StringComparison.Ordinal))
                    {
                        faults[clusterId] = (f, remaining == int.MaxValue ? remaining : remaining - 1);
                        faulted.Add((clusterId, request));
                        fault = f;
                        break;
                    }
                }
            }
        }

        return fault is null ? Forward(request) : fault(request, () => Forward(request));
    }

    /// <summary>
    /// The same call against Prometheus. The Responder hook is synchronous, so this uses the synchronous
    /// <see cref="HttpClient.Send(HttpRequestMessage)"/> and buffers the body (FakeResponse carries a string body).
    /// </summary>
    private FakeResponse Forward(RecordedRequest request)
    {
        var path = request.Path.TrimStart('/');
        if (request.Query.Count > 0)
        {
            path += "?" + string.Join('&', request.Query.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        }

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(path, UriKind.Relative));
        if (request.Form.Count > 0)
        {
            message.Content = new FormUrlEncodedContent(request.Form);
        }

        using var response = upstream.Send(message);
        using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
        return new FakeResponse
        {
            Status = (int)response.StatusCode,
            Body = reader.ReadToEnd(),
            ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json",
        };
    }
}

/// <summary>The scripted Thanos faults. Error texts echo the request's Authorization header, as a careless proxy might.</summary>
internal static class ThanosFaults
{
    /// <summary>Prometheus's real answer with a <c>warnings</c> array added (e.g. a store that did not answer).</summary>
    public static ThanosFault Warnings() => (request, forward) =>
    {
        var real = forward();
        var json = JsonNode.Parse(real.Body)!.AsObject();
        json["warnings"] = new JsonArray(JsonValue.Create($"store 10.0.0.7:10901 unavailable, partial data ({request.Header("Authorization")})"));
        return real with { Body = json.ToJsonString() };
    };

    public static ThanosFault ServiceUnavailable() => (request, _) =>
        FakeResponse.Error(503, "unavailable", $"no store available to answer, request carried {request.Header("Authorization")}");

    public static ThanosFault TooManyRequests() => (_, _) =>
        FakeResponse.Error(429, "unavailable", "too many concurrent queries").WithHeader("Retry-After", "1");

    /// <summary>Never answers: the request ends when the bridge's per-attempt timeout cancels it.</summary>
    public static ThanosFault Hang() => (_, _) => FakeResponse.Hang();

    /// <summary>Prometheus's real answer, with the full Content-Length but only the first half of the JSON sent.</summary>
    public static ThanosFault CutBody() => (_, forward) =>
    {
        var real = forward();
        return real with { CutAfterBytes = Encoding.UTF8.GetByteCount(real.Body) / 2 };
    };
}
