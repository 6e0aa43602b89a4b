using System.Diagnostics;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Promql;

/// <summary>
/// A real Prometheus of its own over a day a test wrote: the OpenMetrics text is turned into TSDB blocks by promtool (as a
/// hub's compacted blocks) and served on a free loopback port until disposed.
/// </summary>
internal sealed class PromtoolPrometheus : IAsyncDisposable
{
    private readonly string directory;
    private readonly Process process;

    private PromtoolPrometheus(string directory, Process process, Uri url)
    {
        this.directory = directory;
        this.process = process;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>Loads <paramref name="openMetrics"/> (ending in <c># EOF</c>) and starts Prometheus on it; returns once it is ready.</summary>
    public static async Task<PromtoolPrometheus> StartAsync(string openMetrics, CancellationToken ct)
    {
        var directory = Directory.CreateTempSubdirectory("promtool-prometheus-").FullName;
        var metrics = Path.Combine(directory, "data.om");
        await File.WriteAllTextAsync(metrics, openMetrics, ct);
        await RunAsync("promtool", ["tsdb", "create-blocks-from", "openmetrics", metrics, Path.Combine(directory, "tsdb")], ct);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, "global: {}\n", ct);
        var port = LoopbackPorts.Free();
        var process = Process.Start(new ProcessStartInfo("prometheus",
        [
            "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "tsdb"), "--storage.tsdb.retention.time=100y",
            "--query.lookback-delta=5m", $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = new PromtoolPrometheus(directory, process, new Uri($"http://127.0.0.1:{port}"));
        await started.WaitUntilReadyAsync(ct);
        return started;
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        Directory.Delete(directory, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task WaitUntilReadyAsync(CancellationToken ct)
    {
        using var http = new HttpClient();
        var deadline = TimeProvider.System.GetUtcNow().AddSeconds(60);
        while (true)
        {
            process.HasExited.ShouldBeFalse("prometheus exited at start-up");
            try
            {
                if ((await http.GetAsync(new Uri(Url, "/-/ready"), ct)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (TimeProvider.System.GetUtcNow() < deadline)
            {
            }

            TimeProvider.System.GetUtcNow().ShouldBeLessThan(deadline, "prometheus did not become ready");
            await Task.Delay(100, ct);   // polling a readiness endpoint, not synchronising on time
        }
    }

    private static async Task RunAsync(string file, string[] arguments, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        process.ExitCode.ShouldBe(0, $"{file} {string.Join(' ', arguments)}: {errors} {await output}");
    }
}
