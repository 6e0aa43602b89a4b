using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ThanosBridge.TestSupport.Fakes;

/// <summary>
/// The faults of <see cref="FakeThanosServer"/> that WireMock.Net cannot produce, done on Kestrel in WireMock's own
/// server: a body cut after N bytes (<see cref="FakeResponse.CutAfterBytes"/>) and a body that stalls after N bytes
/// (<see cref="FakeResponse.StallAfterBytes"/>), both under a Content-Length that promises the whole body. WireMock
/// always writes all of the body it has, and its own faults send no body or half a body plus random bytes without
/// such a Content-Length, so a client cannot tell them from a short answer.
/// </summary>
/// <remarks>
/// Runs before WireMock's middleware. When WireMock's callback decides on such an answer it calls <see cref="Divert"/>:
/// WireMock's rendering of the answer (status, headers, body) then goes into a buffer, and this middleware sends it
/// damaged. Every other answer passes untouched.
/// </remarks>
internal sealed class StreamFaultMiddleware
{
    // The exchange in progress, reaching WireMock's callback down the same async flow.
    private static readonly AsyncLocal<Exchange?> Current = new();

    private readonly CancellationToken stopping;

    private StreamFaultMiddleware(CancellationToken stopping) => this.stopping = stopping;

    /// <summary>Adds the middleware; <paramref name="stopping"/> ends stalled answers when the server goes.</summary>
    public static void Use(IApplicationBuilder app, CancellationToken stopping) =>
        app.Use(new StreamFaultMiddleware(stopping).InvokeAsync);

    /// <summary>Called by WireMock's callback: WireMock's rendering of <paramref name="answer"/> is to be damaged here.</summary>
    public static void Divert(FakeResponse answer)
    {
        var exchange = Current.Value ?? throw new InvalidOperationException("StreamFaultMiddleware is not in this server's pipeline");
        exchange.Answer = answer;
        exchange.Context.Response.Body = exchange.Rendered;
    }

    private async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        using var exchange = new Exchange(context);
        var body = context.Response.Body;
        Current.Value = exchange;
        await next(context);
        if (exchange.Answer is not { } answer)
        {
            return;
        }

        context.Response.Body = body;
        var rendered = exchange.Rendered.ToArray();
        if (answer.CutAfterBytes is { } cut)
        {
            await CutAsync(context, rendered, Math.Min(cut, rendered.Length));
        }
        else
        {
            await StallAsync(context, rendered, Math.Min(answer.StallAfterBytes!.Value, rendered.Length));
        }
    }

    /// <summary>
    /// Sends the head and the first bytes of the body straight to the socket, then half-closes it (FIN), so the
    /// client deterministically gets the headers and then an early end of the body. Going through Kestrel and
    /// aborting instead races Kestrel's send loop: the abort can drop the buffered head, or a reset can arrive
    /// before the client read it. Over TLS the raw socket is unusable, so there the abort is the fallback.
    /// </summary>
    private static async Task CutAsync(HttpContext context, byte[] body, int length)
    {
        var response = context.Response;
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || context.Request.IsHttps)
        {
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body.AsMemory(0, length), context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
            return;
        }

        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {response.StatusCode} {ReasonPhrases.GetReasonPhrase(response.StatusCode)}\r\n");
        foreach (var (name, values) in response.Headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && !name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var value in values)
                {
                    head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                }
            }
        }

        head.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        await socket.SendAsync(Encoding.ASCII.GetBytes(head.ToString()), SocketFlags.None, context.RequestAborted);
        await socket.SendAsync(body.AsMemory(0, length), SocketFlags.None, context.RequestAborted);
        socket.Shutdown(SocketShutdown.Send);
        context.Abort();
    }

    /// <summary>Sends the head and the first bytes of the body, then holds the connection until the client gives up.</summary>
    private async Task StallAsync(HttpContext context, byte[] body, int length)
    {
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, length), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, held.Token);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (or the server goes), which is what the stall is for.
        }
    }

    private sealed class Exchange(HttpContext context) : IDisposable
    {
        public HttpContext Context { get; } = context;

        public MemoryStream Rendered { get; } = new();

        public FakeResponse? Answer { get; set; }

        public void Dispose() => Rendered.Dispose();
    }
}
