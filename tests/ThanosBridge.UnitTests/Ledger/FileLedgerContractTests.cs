using System.Text.Json;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Testing.Ledger;

namespace ThanosBridge.UnitTests.Ledger;

/// <summary>The ledger contract on a <see cref="FileLedger"/> in a temporary directory.</summary>
public sealed class FileLedgerContractTests : LedgerContractTests
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "thanos-bridge-ledger-tests", Guid.NewGuid().ToString("N"));
    private readonly List<FileLedger> opened = [];

    protected override ILedger OpenLedger(TimeProvider clock)
    {
        var ledger = new FileLedger(dataDirectory, clock);
        lock (opened)
        {
            opened.Add(ledger);
        }

        return ledger;
    }

    protected override void CrashBeforeNextCommit(ILedger ledger) =>
        ((FileLedger)ledger).BeforeCommit = (_, _) => throw new IOException("simulated crash before the rename");

    protected override async Task<IReadOnlyList<Guid>> StoredPayloadsAsync(string clusterId, DateOnly day) =>
        await FileLedgerInspection.StoredPayloadsAsync(Path.Combine(dataDirectory, FileLedger.DirectoryName), clusterId, day);

    protected override ValueTask TearDownStorageAsync()
    {
        foreach (var ledger in opened)
        {
            ledger.Dispose();
        }

        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>Reads a file ledger's committed day files the way the ledger does, for assertions.</summary>
internal static class FileLedgerInspection
{
    public static string DayDirectory(string root, string clusterId, DateOnly day) =>
        Path.Combine(root, clusterId, day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    public static async Task<DayDocument> ReadDayAsync(string root, string clusterId, DateOnly day)
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(DayDirectory(root, clusterId, day), "day.json"), TestContext.Current.CancellationToken);
        return JsonSerializer.Deserialize(bytes, FileLedgerJson.Default.DayDocument)!;
    }

    /// <summary>The snapshots whose committed entry still names payload files; each named file must exist.</summary>
    public static async Task<IReadOnlyList<Guid>> StoredPayloadsAsync(string root, string clusterId, DateOnly day)
    {
        var dayDir = DayDirectory(root, clusterId, day);
        var doc = await ReadDayAsync(root, clusterId, day);
        var stored = new List<Guid>();
        foreach (var snapshot in doc.Snapshots)
        {
            var files = snapshot.Parts.Select(p => p.ContentFile).OfType<string>().ToList();
            if (files.Count == 0)
            {
                continue;
            }

            files.Count.ShouldBe(snapshot.Parts.Count, "a snapshot keeps all of its parts or none");
            files.ShouldAllBe(f => File.Exists(Path.Combine(dayDir, f)));
            stored.Add(snapshot.Uuid);
        }

        return stored;
    }
}
