using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ThanosBridge.TestSupport.Bridge;

/// <summary>
/// <c>ThanosBridge serve</c> as a real process on free loopback ports, as Kubernetes runs it: probed over HTTP and
/// stopped with SIGTERM.
/// </summary>
public sealed class BridgeServer : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private BridgeServer(Process process, int httpPort, int metricsPort)
    {
        this.process = process;
        HttpPort = httpPort;
        MetricsPort = metricsPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int HttpPort { get; }

    public int MetricsPort { get; }

    public Uri HealthUrl => new($"http://127.0.0.1:{HttpPort}/");

    public Uri MetricsUrl => new($"http://127.0.0.1:{MetricsPort}/metrics");

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static BridgeServer Start(IReadOnlyDictionary<string, string> environment)
    {
        var env = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            ["THANOS_BRIDGE_HTTP_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["THANOS_BRIDGE_METRICS_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var start = BridgeProcess.StartInfo(env, ["serve"], "thanos-bridge-serve-");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        return new BridgeServer(process, int.Parse(env["THANOS_BRIDGE_HTTP_PORT"], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(env["THANOS_BRIDGE_METRICS_PORT"], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, the process exits, or <paramref name="bound"/> passes.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan bound, CancellationToken ct)
    {
        var deadline = TimeProvider.System.GetUtcNow() + bound;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"serve exited ({process.ExitCode}) while waiting for {what}\n{Output}");
            }

            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }

        throw new TimeoutException($"{what} did not happen within {bound.TotalSeconds} s\n{Output}");
    }

    /// <summary>Sends SIGTERM, as the kubelet does, and returns how long the process took to exit.</summary>
    public async Task<TimeSpan> TerminateAsync(TimeSpan bound, CancellationToken ct)
    {
        var started = TimeProvider.System.GetTimestamp();
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync(ct);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"serve did not stop within {bound.TotalSeconds} s of SIGTERM\n{Output}");
        }

        return TimeProvider.System.GetElapsedTime(started);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
