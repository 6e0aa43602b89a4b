using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>
/// A loopback Kestrel server standing in for Thanos Query where the real Prometheus cannot produce the case:
/// 5xx, 429, slow or hanging answers, bodies cut mid-stream, 405 for POST, warnings. Each request takes the next
/// scripted <see cref="FakeResponse"/> (or <see cref="Fallback"/>) whatever its path, and is recorded.
/// </summary>
public sealed class FakeThanosServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<FakeResponse> script = new();
    private readonly Lock gate = new();
    private readonly List<RecordedRequest> requests = [];
    private readonly List<(int Count, TaskCompletionSource Signal)> waiters = [];

    private FakeThanosServer(WebApplication app)
    {
        this.app = app;
        app.Run(HandleAsync);
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234/</c> (https with a certificate).</summary>
    public Uri BaseUrl { get; private set; } = null!;

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
    public static async Task<FakeThanosServer> StartAsync(X509Certificate2? certificate = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var server = new FakeThanosServer(builder.Build());
        await server.app.StartAsync(cancellationToken);
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public void Enqueue(params FakeResponse[] responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        foreach (var response in responses)
        {
            script.Enqueue(response);
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
        // Hanging answers end with ApplicationStopping; the bound only matters if a handler ignores it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }

    private static Dictionary<string, string> Flatten(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values, IEqualityComparer<string> comparer) =>
        values.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), comparer);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType
            ? Flatten(await request.ReadFormAsync(context.RequestAborted), StringComparer.Ordinal)
            : [];
        var recorded = new RecordedRequest(
            request.Method,
            request.PathBase + request.Path,
            Flatten(request.Query, StringComparer.Ordinal),
            form,
            Flatten(request.Headers, StringComparer.OrdinalIgnoreCase));
        Record(recorded);

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, app.Lifetime.ApplicationStopping);
        var answer = RejectPost && HttpMethods.IsPost(request.Method)
            ? FakeResponse.Error(405, "method_not_allowed", "POST not allowed")
            : Responder?.Invoke(recorded) ?? (script.TryDequeue(out var next) ? next : Fallback);
        if (answer.Delay != TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(answer.Delay, aborted.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        var response = context.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        foreach (var (name, value) in answer.Headers)
        {
            response.Headers[name] = value;
        }

        var body = Encoding.UTF8.GetBytes(answer.Body);
        response.ContentLength = body.Length;
        if (answer.CutAfterBytes is { } cut)
        {
            await CutAsync(context, answer, body, Math.Min(cut, body.Length));
            return;
        }

        if (answer.StallAfterBytes is { } stall)
        {
            await response.Body.WriteAsync(body.AsMemory(0, Math.Min(stall, body.Length)), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, aborted.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, which is what the stall is for.
            }

            return;
        }

        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// Sends the head and the first bytes of the body straight to the socket, then half-closes it (FIN), so the
    /// client deterministically gets the headers and then an early end of the body. Going through Kestrel and
    /// aborting instead races Kestrel's send loop: the abort can drop the buffered head, or a reset can arrive
    /// before the client read it. Over TLS the raw socket is unusable, so there the abort is the fallback.
    /// </summary>
    private static async Task CutAsync(HttpContext context, FakeResponse answer, byte[] body, int length)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || context.Request.IsHttps)
        {
            await context.Response.Body.WriteAsync(body.AsMemory(0, length), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {answer.Status} {ReasonPhrases.GetReasonPhrase(answer.Status)}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {answer.ContentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n");
        foreach (var (name, value) in answer.Headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), SocketFlags.None, context.RequestAborted);
        await socket.SendAsync(body.AsMemory(0, length), SocketFlags.None, context.RequestAborted);
        socket.Shutdown(SocketShutdown.Send);
        context.Abort();
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
