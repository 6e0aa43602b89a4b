using System.Globalization;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Confirmation;

namespace ThanosBridge.Commands;

/// <summary>The delivery-confirmation lines of <c>once</c> (what the run's check found) and <c>clusters</c> (what the ledger holds).</summary>
internal static class ConfirmationPrinter
{
    public const string Off = "koku confirmation: off (needs koku's database, S3 and Kafka)";

    /// <summary>
    /// One line for the check, then one per snapshot whose outcome is news: completed or reported in this check, announced
    /// again, or not announced again for an error. Pending and superseded snapshots are only counted.
    /// </summary>
    public static async Task PrintAsync(ConfirmationReport report, BridgeSettings settings, TextWriter output)
    {
        if (!report.Enabled)
        {
            await output.WriteLineAsync(Off);
            return;
        }

        if (report.Error is not null && report.Snapshots.Count == 0)
        {
            await output.WriteLineAsync($"koku confirmation: FAILED: {report.Error}");
            return;
        }

        await output.WriteLineAsync($"koku confirmation: {report.Snapshots.Count} published snapshot(s) checked in koku's manifest tables: " +
            Counts(report.Snapshots.Select(s => s.Status)) + $" (re-announced {report.Snapshots.Count(s => s.Reannounced)})" +
            (report.Error is null ? "" : $"; recording failed: {report.Error}"));
        foreach (var s in report.Snapshots.Where(IsNews).OrderBy(s => s.ClusterId.Value, StringComparer.Ordinal).ThenBy(s => s.Day))
        {
            var again = s.Reannounced
                ? $"  announced again ({s.Reannouncements} of {settings.Confirmation.MaxReannouncements})"
                : s.Reannouncements > 0 ? $"  ({s.Reannouncements} re-announcement(s))" : "";
            var error = s.Error is null ? "" : $"  not announced again: {s.Error}";
            await output.WriteLineAsync($"  koku {KokuStatuses.Name(s.Status)}: {s.ClusterId} {Day(s.Day)} 00:00-{s.Hours:00}:00 uuid {s.Uuid}{again}{error}");
        }
    }

    private static bool IsNews(SnapshotConfirmation s) =>
        s.Reannounced || s.Error is not null || (s.Status != s.Previous && (s.Status == KokuStatus.Completed || KokuStatuses.IsReported(s.Status)));

    /// <summary>Per cluster, koku's status of the latest snapshot of each day the ledger has.</summary>
    public static async Task PrintLedgerAsync(IReadOnlyList<PublishedSnapshot> published, TextWriter output)
    {
        foreach (var cluster in published.Where(p => p.IsLatest).GroupBy(p => p.ClusterId).OrderBy(g => g.Key.Value, StringComparer.Ordinal))
        {
            var unconfirmed = cluster.Where(p => p.Status != KokuStatus.Completed).OrderBy(p => p.Day).FirstOrDefault();
            await output.WriteLineAsync($"confirm  {cluster.Key}  {cluster.Count()} day(s): " +
                Counts(cluster.Select(p => p.Status ?? KokuStatus.Awaiting)) +
                (unconfirmed is null ? "" : $"; oldest not completed: {Day(unconfirmed.Day)} ({KokuStatuses.Name(unconfirmed.Status ?? KokuStatus.Awaiting)}, uuid {unconfirmed.Uuid})"));
        }
    }

    private static string Counts(IEnumerable<KokuStatus> statuses)
    {
        var counts = statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Count()} {KokuStatuses.Name(g.Key)}").ToList();
        return counts.Count == 0 ? "none" : string.Join(", ", counts);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
