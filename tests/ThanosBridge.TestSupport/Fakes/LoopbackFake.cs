using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>
/// A WireMock.Net server on a free loopback port whose one catch-all mapping records every request with its body and
/// lets the subclass answer it (<see cref="AnswerAsync"/>): the shared part of the fake Kubernetes API and fake koku API.
/// </summary>
public abstract class LoopbackFake : IDisposable
{
    private readonly WireMockServer server;
    private readonly Lock gate = new();
    private readonly List<(RecordedRequest Request, string Body)> requests = [];

    protected LoopbackFake()
    {
        // Loopback only (WireMock's default listens on every interface); port 0: Kestrel picks a free one.
        server = WireMockServer.Start(new WireMockServerSettings { Urls = ["http://127.0.0.1:0"], MaxRequestLogCount = 0 });
        BaseUrl = new Uri(server.Url!.TrimEnd('/') + "/");
        server.Given(Request.Create().WithPath("/*").UsingAnyMethod()).RespondWith(Response.Create().WithCallback(HandleAsync));
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Every request with its body, in the order they arrived.</summary>
    public IReadOnlyList<(RecordedRequest Request, string Body)> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    public void Dispose()
    {
        server.Stop();
        server.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The answer to one request (already recorded).</summary>
    protected abstract Task<ResponseMessage> AnswerAsync(RecordedRequest request, string body);

    protected static ResponseMessage Json(int status, JsonNode body) => Render(status, "application/json", body.ToJsonString());

    protected static ResponseMessage Text(int status, string text) => Render(status, "text/plain", text);

    private static ResponseMessage Render(int status, string contentType, string body) => new()
    {
        StatusCode = status,
        Headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = new(contentType) },
        BodyData = new BodyData
        {
            BodyAsString = body,
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            DetectedBodyType = BodyType.String,
        },
    };

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        var recorded = new RecordedRequest(
            request.Method,
            request.AbsolutePath,
            QueryHelpers.ParseQuery(request.RawQuery).ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal),
            new Dictionary<string, string>(),
            (request.Headers ?? new Dictionary<string, WireMockList<string>>()).ToDictionary(
                kv => kv.Key, kv => string.Join(',', kv.Value), StringComparer.OrdinalIgnoreCase));
        var body = request.BodyData?.BodyAsString ?? "";
        lock (gate)
        {
            requests.Add((recorded, body));
        }

        return await AnswerAsync(recorded, body);
    }
}
