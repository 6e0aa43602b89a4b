using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Metrics;
using ThanosBridge.Health;
using ThanosBridge.Hosting;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Hosting;

/// <summary>
/// A real Prometheus (a second process, not the stack's) scrapes the host's /metrics every second: the exposition
/// must parse, and the bridge's series must be queryable under their documented names.
/// </summary>
public sealed class PrometheusScrapeTests : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly string directory = Path.Combine(Path.GetTempPath(), "bridge-scrape-" + Guid.NewGuid().ToString("N"));
    private readonly HttpClient http = new();
    private WebApplication? app;
    private Process? prometheus;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        if (prometheus is not null)
        {
            if (!prometheus.HasExited)
            {
                prometheus.Kill(entireProcessTree: true);
                await prometheus.WaitForExitAsync(CancellationToken.None);
            }

            prometheus.Dispose();
        }

        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }

        http.Dispose();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Scrape_BridgeMetricsEndpoint_PrometheusIngestsTheDocumentedSeries()
    {
        var metricsPort = await StartBridgeAsync();
        var metrics = app!.Services.GetRequiredService<BridgeMetrics>();
        metrics.Runs.Add(3, new KeyValuePair<string, object?>("result", "success"));
        metrics.RunDuration.Record(42);
        metrics.SetLastDelivered(ClusterId.Parse("cluster-a"), new DateTimeOffset(2026, 8, 5, 12, 0, 0, TimeSpan.Zero));
        await app.Services.GetRequiredService<ReadinessState>().WaitAsync(s => s.Ready, Ct);

        var api = StartPrometheus(metricsPort);

        await WaitForQueryAsync(api, "up{job=\"bridge\"}", value => value == "1");
        (await QueryAsync(api, "thanos_bridge_runs_total{job=\"bridge\",result=\"success\"}")).ShouldHaveSingleItem().Value.ShouldBe("3");
        (await QueryAsync(api, "thanos_bridge_run_duration_seconds_count{job=\"bridge\"}")).ShouldHaveSingleItem().Value.ShouldBe("1");
        (await QueryAsync(api, "thanos_bridge_run_duration_seconds_bucket{job=\"bridge\",le=\"60\"}")).ShouldHaveSingleItem().Value.ShouldBe("1");
        (await QueryAsync(api, "thanos_bridge_cluster_last_delivered_hour_timestamp_seconds{cluster_id=\"cluster-a\"}")).ShouldHaveSingleItem().Value.ShouldBe("1785931200");
        (await QueryAsync(api, "thanos_bridge_dependency_up{dependency=\"thanos\"}")).ShouldHaveSingleItem().Value.ShouldBe("1");
        (await QueryAsync(api, "thanos_bridge_build_info")).ShouldHaveSingleItem().Labels.ShouldContainKey("version");
    }

    private async Task<int> StartBridgeAsync()
    {
        var healthPort = LoopbackPorts.Free();
        var metricsPort = LoopbackPorts.Free();
        var settings = BridgeSettingsLoader.Load(new Dictionary<string, string?>
        {
            ["THANOS_QUERY_URL"] = "http://127.0.0.1:1",
            ["THANOS_BRIDGE_CLUSTERS"] = "cluster-a=org1",
            ["THANOS_BRIDGE_HTTP_PORT"] = healthPort.ToString(CultureInfo.InvariantCulture),
            ["THANOS_BRIDGE_METRICS_PORT"] = metricsPort.ToString(CultureInfo.InvariantCulture),
        });
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.Services.AddBridgeTelemetry(settings);
        builder.Services.AddBridgeHealthChecks(_ => [new DependencyProbe(DependencyProbe.Thanos, _ => Task.CompletedTask)]);
        app = builder.Build();
        app.MapBridgeEndpoints(IPAddress.Loopback);
        await app.StartAsync(Ct);
        return metricsPort;
    }

    private Uri StartPrometheus(int metricsPort)
    {
        Directory.CreateDirectory(Path.Combine(directory, "data"));
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: bridge
                scrape_interval: 1s
                scrape_timeout: 1s
                static_configs:
                  - targets: ['127.0.0.1:{metricsPort}']
            """);
        var apiPort = LoopbackPorts.Free();
        var start = new ProcessStartInfo("prometheus")
        {
            ArgumentList =
            {
                "--config.file=" + config,
                "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                $"--web.listen-address=127.0.0.1:{apiPort}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        prometheus = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        // Drain its log so that a full pipe never blocks it.
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        return new Uri($"http://127.0.0.1:{apiPort}/");
    }

    /// <summary>Polls a query until one of its samples satisfies <paramref name="accept"/>, at most <see cref="Deadline"/>.</summary>
    private async Task WaitForQueryAsync(Uri api, string query, Func<string, bool> accept)
    {
        var stopwatch = Stopwatch.StartNew();
        string last = "no answer";
        while (stopwatch.Elapsed < Deadline)
        {
            prometheus!.HasExited.ShouldBeFalse("prometheus exited");
            try
            {
                var samples = await QueryAsync(api, query);
                if (samples.Any(s => accept(s.Value)))
                {
                    return;
                }

                last = samples.Count == 0 ? "no samples" : string.Join(",", samples.Select(s => s.Value));
            }
            catch (HttpRequestException e)
            {
                last = e.Message; // Prometheus not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct);
        }

        throw new TimeoutException($"{query} was not accepted within {Deadline}: {last}");
    }

    private async Task<List<PromSample>> QueryAsync(Uri api, string query)
    {
        using var doc = await http.GetFromJsonAsync<JsonDocument>(new Uri(api, "api/v1/query?query=" + Uri.EscapeDataString(query)), Ct);
        return [.. doc!.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(r => new PromSample(
            r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            r.GetProperty("value")[1].GetString()!))];
    }

    private sealed record PromSample(Dictionary<string, string> Labels, string Value);
}
