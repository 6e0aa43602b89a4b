using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ThanosBridge.TestSupport;

namespace ThanosBridge.IntegrationTests.Accuracy;

/// <summary>
/// The bill on the hub's forwarded 5-minute data against what CMMO bills from the spoke's 30-second scrapes
/// (docs/accuracy.md): <c>tools/hubsim</c> generates one cluster-day whose truth it knows, derives both views as the
/// spoke's Prometheus and ACM's metrics-collector would hold them, loads them into two real Prometheus servers and runs
/// this build's bridge against both. A fixed seed, so that accuracy cannot silently regress.
/// </summary>
public class HubAccuracyTests
{
    private const double ClusterDayGoalPct = 0.5;
    private const double LongPodGoalPct = 2.0;

    private static readonly string[] Columns =
    [
        "pod_usage_cpu_core_seconds", "pod_request_cpu_core_seconds", "pod_limit_cpu_core_seconds",
        "pod_usage_memory_byte_seconds", "pod_request_memory_byte_seconds", "pod_limit_memory_byte_seconds",
        "node_capacity_cpu_core_seconds", "node_capacity_memory_byte_seconds",
        "persistentvolumeclaim_capacity_byte_seconds", "volume_request_storage_byte_seconds", "persistentvolumeclaim_usage_byte_seconds",
    ];

    [Fact]
    public async Task HubBill_AtTheDefaults_IsWithinTheGoalsOfWhatCmmoBillsFromTheSpoke()
    {
        var result = await RunHubSimAsync(seed: 1, TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(result);
        var root = json.RootElement;

        var hub = root.GetProperty("hub_vs_reference");
        var clusterDay = hub.GetProperty("cluster_day_pct");
        var reference = root.GetProperty("reference_vs_truth").GetProperty("cluster_day_pct");
        foreach (var column in Columns)
        {
            // The reference itself is the spoke's bill: it must agree with the generated truth, or the comparison is void.
            Math.Abs(reference.GetProperty(column).GetDouble()).ShouldBeLessThan(0.5, $"reference vs truth, {column}");
            Math.Abs(clusterDay.GetProperty(column).GetDouble()).ShouldBeLessThanOrEqualTo(ClusterDayGoalPct, $"hub vs reference, cluster-day {column}");
        }

        var goals = root.GetProperty("goals");
        goals.GetProperty("pods_4h_within_2pct").GetProperty("worst_abs_pct").GetDouble().ShouldBeLessThanOrEqualTo(LongPodGoalPct);
        goals.GetProperty("no_missing_pods_15m").GetProperty("pods").GetArrayLength().ShouldBe(0, "pods of 15 minutes or more missing on the hub");
        root.GetProperty("pass").GetBoolean().ShouldBeTrue();
    }

    /// <summary>Runs the simulation with this build's bridge and returns its JSON result.</summary>
    private static async Task<string> RunHubSimAsync(int seed, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("hubsim-test-").FullName;
        var output = Path.Combine(work, "result.json");
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = StackEnvironment.RepositoryRoot,
        };
        foreach (var arg in new[]
        {
            Path.Combine(StackEnvironment.RepositoryRoot, "tools", "hubsim", "hubsim.py"), "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--bridge-dll", Path.Combine(AppContext.BaseDirectory, "ThanosBridge.dll"), "--json", output,
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start python3");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromMinutes(8));
        try
        {
            await process.WaitForExitAsync(bound.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("tools/hubsim/hubsim.py did not finish in 8 minutes");
        }

        var (o, e) = (await stdout, await stderr);
        process.ExitCode.ShouldBe(0, $"hubsim failed\n--- stdout\n{o}\n--- stderr\n{e}");
        TestContext.Current.SendDiagnosticMessage(o);
        var result = await File.ReadAllTextAsync(output, ct);
        Directory.Delete(work, recursive: true);
        return result;
    }
}
