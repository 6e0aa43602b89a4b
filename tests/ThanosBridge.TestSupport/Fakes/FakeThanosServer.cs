using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>
/// A WireMock.Net server on loopback standing in for Thanos Query where the real Prometheus cannot produce the case:
/// 5xx, 429, slow or hanging answers, bodies cut mid-stream, 405 for POST, warnings. Each request takes the next
/// scripted <see cref="FakeResponse"/> (or <see cref="Fallback"/>) whatever its path, and is recorded.
/// </summary>
/// <remarks>
/// <para>
/// WireMock serves the answers: status, headers, body, TLS with a certificate made in the test. One catch-all mapping
/// answers through a callback because the script, <see cref="Responder"/> and <see cref="RejectPost"/> decide per
/// request at run time. The callback records the request on arrival (WireMock logs a request only once it is
/// answered, too late for a test waiting on a hanging one) and waits out <see cref="FakeResponse.Delay"/> itself
/// (WireMock's own delay cannot be cancelled, so a hang would outlive the server).
/// </para>
/// <para>
/// The two faults WireMock cannot produce, <see cref="FakeResponse.CutAfterBytes"/> and
/// <see cref="FakeResponse.StallAfterBytes"/>, are routed transparently to <see cref="StreamFaultMiddleware"/>, a
/// Kestrel middleware in front of WireMock's in the same server: WireMock still renders the answer, the middleware
/// sends it damaged. A separate server would not do: the request has already arrived on WireMock's port when the
/// callback learns that its answer is to be cut.
/// </para>
/// </remarks>
public sealed class FakeThanosServer : IAsyncDisposable
{
    private readonly WireMockServer server;
    private readonly CancellationTokenSource stopping;
    private readonly Queue<FakeResponse> script = new();
    private readonly Lock gate = new();
    private readonly List<RecordedRequest> requests = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> waiters = [];
    private int disposed;

    private FakeThanosServer(WireMockServer server, CancellationTokenSource stopping)
    {
        this.server = server;
        this.stopping = stopping;
        BaseUrl = new Uri(server.Url!.TrimEnd('/') + "/");
        server.Given(Request.Create().WithPath("/*").UsingAnyMethod())
            .RespondWith(Response.Create().WithCallback(HandleAsync));
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234/</c> (https with a certificate).</summary>
    public Uri BaseUrl { get; }

    /// <summary>Answer every POST with 405, as a GET-only proxy would (does not consume the script).</summary>
    public bool RejectPost { get; set; }

    /// <summary>
    /// Consulted first for every request (after <see cref="RejectPost"/>); a non-null answer wins over the script.
    /// Lets a test route by path or parameters, e.g. fail only one cluster's queries.
    /// </summary>
    public Func<RecordedRequest, FakeResponse?>? Responder { get; set; }

    /// <summary>The answer when the script is empty; by default a 500 that names the missing script entry.</summary>
    public FakeResponse Fallback { get; set; } = FakeResponse.Text(500, "FakeThanosServer: no scripted response left");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. requests];
            }
        }
    }

    /// <summary>Starts on 127.0.0.1 with a free port; with <paramref name="certificate"/>, HTTPS only.</summary>
    public static Task<FakeThanosServer> StartAsync(X509Certificate2? certificate = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var stopping = new CancellationTokenSource();
        var settings = new WireMockServerSettings
        {
            // Loopback only (WireMock's default listens on every interface); port 0: Kestrel picks a free one.
            Urls = [certificate is null ? "http://127.0.0.1:0" : "https://127.0.0.1:0"],
            // WireMock's CertificateSettings.X509Certificate would do, but WireMockServer's constructor dumps its settings
            // as JSON, reading X509Certificate2.PrivateKey, which throws for the test CA's ECDSA keys. So the certificate
            // goes to WireMock's Kestrel as the default for its HTTPS endpoint instead.
            AdditionalServiceRegistration = certificate is null ? null : services => services.Configure<KestrelServerOptions>(kestrel =>
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate)),
            PreWireMockMiddlewareInit = app => StreamFaultMiddleware.Use((IApplicationBuilder)app, stopping.Token),
            // The callback records requests itself; WireMock's log would only keep a second copy.
            MaxRequestLogCount = 0,
        };
        try
        {
            // WireMock starts synchronously, waiting until Kestrel listens.
            return Task.FromResult(new FakeThanosServer(WireMockServer.Start(settings), stopping));
        }
        catch
        {
            stopping.Dispose();
            throw;
        }
    }

    public void Enqueue(params FakeResponse[] responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        lock (gate)
        {
            foreach (var response in responses)
            {
                script.Enqueue(response);
            }
        }
    }

    /// <summary>Completes once at least <paramref name="count"/> requests have arrived.</summary>
    public Task WaitForRequestsAsync(int count, CancellationToken cancellationToken)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (requests.Count >= count)
            {
                return Task.CompletedTask;
            }

            waiters.Add((count, signal));
        }

        return signal.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Ends held and stalled answers first, so that WireMock's shutdown does not wait for them.
        await stopping.CancelAsync();
        await Task.Run(server.Stop);
        server.Dispose();
        stopping.Dispose();
    }

    private static Dictionary<string, string> Flatten<TValues>(IEnumerable<KeyValuePair<string, TValues>> values, IEqualityComparer<string> comparer)
        where TValues : IEnumerable<string?> =>
        values.ToDictionary(kv => kv.Key, kv => string.Join(',', kv.Value), comparer);

    /// <summary>WireMock's reading of the request, with the query string and form parsed as Kestrel parses them.</summary>
    private static RecordedRequest ToRecorded(IRequestMessage request)
    {
        var body = request.BodyData;
        var form = body?.DetectedBodyTypeFromContentType == BodyType.FormUrlEncoded
            ? Flatten(QueryHelpers.ParseQuery(body.BodyAsString), StringComparer.Ordinal)
            : [];
        return new RecordedRequest(
            request.Method,
            request.AbsolutePath,
            Flatten(QueryHelpers.ParseQuery(request.RawQuery), StringComparer.Ordinal),
            form,
            Flatten(request.Headers ?? new Dictionary<string, WireMockList<string>>(), StringComparer.OrdinalIgnoreCase));
    }

    private static ResponseMessage Render(FakeResponse answer)
    {
        var headers = new Dictionary<string, WireMockList<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["Content-Type"] = new(answer.ContentType),
        };
        foreach (var (name, value) in answer.Headers)
        {
            headers[name] = new(value);
        }

        return new ResponseMessage
        {
            StatusCode = answer.Status,
            Headers = headers,
            BodyData = new BodyData
            {
                BodyAsString = answer.Body,
                Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
                DetectedBodyType = BodyType.String,
            },
        };
    }

    private async Task<IResponseMessage> HandleAsync(IRequestMessage request)
    {
        var recorded = ToRecorded(request);
        Record(recorded);

        var answer = RejectPost && HttpMethods.IsPost(request.Method)
            ? FakeResponse.Error(405, "method_not_allowed", "POST not allowed")
            : Responder?.Invoke(recorded) ?? Next();
        if (answer.Delay != TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, stopping.Token);
            }
            catch (OperationCanceledException)
            {
                // Disposed while holding the answer: WireMock's shutdown lets this one go out before it closes.
                answer = FakeResponse.Text(503, "FakeThanosServer: disposed while holding the answer");
            }
        }

        if (answer.CutAfterBytes is not null || answer.StallAfterBytes is not null)
        {
            StreamFaultMiddleware.Divert(answer);
        }

        return Render(answer);
    }

    private FakeResponse Next()
    {
        lock (gate)
        {
            return script.TryDequeue(out var next) ? next : Fallback;
        }
    }

    private void Record(RecordedRequest request)
    {
        List<TaskCompletionSource> released = [];
        lock (gate)
        {
            requests.Add(request);
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (requests.Count >= waiters[i].Count)
                {
                    released.Add(waiters[i].Signal);
                    waiters.RemoveAt(i);
                }
            }
        }

        foreach (var signal in released)
        {
            signal.TrySetResult();
        }
    }
}
