using Microsoft.Extensions.DependencyInjection;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Hosting;

namespace ThanosBridge.Commands;

/// <summary>
/// <c>once</c>: one delivery cycle, then exit: non-zero when discovery or any cluster failed. Prints a per-cluster
/// summary. <c>--cluster</c> and <c>--day</c> narrow the run (and re-send a day that koku already has, with the same
/// uuid); <c>--now</c> replaces the clock (tests, re-runs); <c>--record DIR</c> writes every Thanos response body, as
/// received, to <c>DIR/&lt;cluster id&gt;/&lt;query name&gt;.json</c> for <c>replay</c>.
/// </summary>
internal static class OnceCommand
{
    public const string Usage = "once [--cluster ID] [--day YYYY-MM-DD] [--now ISO] [--record DIR]";

    internal static readonly string[] Options = ["cluster", "day", "now", "record"];

    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, BridgeSettings settings, TextWriter stdout, TimeProvider time, CancellationToken cancellationToken)
    {
        var a = CommandArguments.Parse("once", args, Options);
        var cluster = a.OptionalClusterId("cluster");
        var day = a.OptionalDate("day");
        var now = a.OptionalTime("now") ?? time.GetUtcNow();

        await using var services = CommandServices.Build(settings, time, a.Optional("record"));
        await services.GetRequiredService<ILedger>().InitializeAsync(cancellationToken);
        var summary = await services.GetRequiredService<DeliveryRunner>().RunAsync(now, cluster, day, cancellationToken);
        await RunSummaryPrinter.PrintAsync(summary, settings, stdout);
        return summary.Succeeded ? BridgeCommandLine.Success : BridgeCommandLine.Failure;
    }
}

/// <summary>The human summary of a run that <c>once</c> prints.</summary>
internal static class RunSummaryPrinter
{
    public static async Task PrintAsync(RunSummary summary, BridgeSettings settings, TextWriter output)
    {
        var target = settings.DeliversToKoku
            ? $"S3 bucket {settings.S3!.Bucket} + Kafka {settings.Kafka!.BootstrapServers}"
            : $"output directory {Path.GetFullPath(settings.OutputDirectory)}";
        await output.WriteLineAsync($"run at {summary.Started:yyyy-MM-dd HH:mm}Z ({summary.Duration.TotalSeconds:F1} s), delivering to {target}");
        if (summary.Registration is { } registration && settings.Registration is { } registrationSettings)
        {
            await RegistrationReportPrinter.PrintAsync(registration, registrationSettings, output);
        }

        if (summary.Discovery is { } discovery)
        {
            var deliverable = discovery.Clusters.Select(c => c.ClusterId).Distinct().Count();
            var registered = discovery.Clusters.Select(c => c.ClusterId.Value).Concat(discovery.Skipped.Select(s => s.ClusterId)).Distinct(StringComparer.Ordinal).Count();
            await output.WriteLineAsync($"clusters: {registered} registered in koku ({deliverable} to deliver, {discovery.Skipped.Count} skipped), " +
                $"{summary.Unregistered.Count} sending metrics without a koku source");
            foreach (var s in discovery.Skipped)
            {
                await output.WriteLineAsync($"  skipped {s.ClusterId}: {s.Reason} ({s.Detail})");
            }

            foreach (var u in summary.Unregistered)
            {
                await output.WriteLineAsync($"  unregistered {u}: sends metrics, not registered in koku");
            }
        }

        foreach (var cluster in summary.Clusters.OrderBy(c => c.ClusterId.Value, StringComparer.Ordinal))
        {
            var word = cluster.Result switch
            {
                ClusterResult.Delivered => "delivered",
                ClusterResult.UpToDate => "up to date",
                _ => "FAILED",
            };
            await output.WriteLineAsync($"cluster {cluster.ClusterId}: {word}{(cluster.Error is null ? "" : ": " + cluster.Error)}");
            foreach (var s in cluster.Snapshots)
            {
                var rows = string.Join(' ', s.Rows.OrderBy(r => r.Key).Select(r => $"{r.Key.ToString().ToLowerInvariant()}={r.Value}"));
                // The span the snapshot covers (koku's claimed hours), not the hours with data: a cluster that starts at 23:00
                // sends 00:00-24:00 with rows for one hour.
                await output.WriteLineAsync($"  {s.Day:yyyy-MM-dd} 00:00-{s.Hours:00}:00  uuid {s.Uuid}  {s.Bytes} bytes{(s.Resent ? "  (re-sent)" : "")}  rows {rows}");
                foreach (var key in s.ObjectKeys)
                {
                    await output.WriteLineAsync($"    {key}");
                }
            }
        }

        if (summary.Discovery is not null)
        {
            await ConfirmationPrinter.PrintAsync(summary.Confirmation, settings, output);
        }

        if (summary.Error is not null)
        {
            await output.WriteLineAsync($"run failed: {summary.Error}");
        }
    }
}
