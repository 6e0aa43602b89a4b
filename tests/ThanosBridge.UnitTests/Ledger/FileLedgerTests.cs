using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.TestSupport.Logging;
using System.Text;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Testing.Ledger;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.UnitTests.Ledger;

/// <summary>What only the file ledger has: its layout, leftovers of interrupted writes, payload checks and the lock file.</summary>
public sealed class FileLedgerTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 8, 4);

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "thanos-bridge-ledger-tests", Guid.NewGuid().ToString("N"));
    private readonly string clusterId = "ledger-test-" + Guid.NewGuid().ToString("N");
    private readonly FakeTimeProvider clock = new();
    private readonly FakeLogger<FileLedger> log = new();
    private readonly List<FileLedger> opened = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Root => Path.Combine(dataDirectory, FileLedger.DirectoryName);

    private string DayDir => FileLedgerInspection.DayDirectory(Root, clusterId, Day);

    public void Dispose()
    {
        foreach (var ledger in opened)
        {
            ledger.Dispose();
        }

        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task AddAndPublish_TwoSnapshots_LeavesOnlyTheDayFileAndTheNewestPayload()
    {
        var ledger = await OpenAsync();
        var first = Snapshot(3, "first");
        await ledger.AddPackagedAsync(first, Ct);
        await ledger.MarkAsync(clusterId, Day, first.Uuid, SnapshotState.Published, Ct);
        var second = Snapshot(6, "second", "second, part 2");
        await ledger.AddPackagedAsync(second, Ct);
        await ledger.MarkAsync(clusterId, Day, second.Uuid, SnapshotState.Published, Ct);

        File.Exists(Path.Combine(Root, "format.json")).ShouldBeTrue();
        File.Exists(Path.Combine(Root, clusterId, ".lock")).ShouldBeTrue();
        var files = Directory.GetFiles(DayDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        files.Count.ShouldBe(3);
        files.ShouldContain("day.json");
        files.Where(f => f != "day.json").ShouldAllBe(f => f!.StartsWith(second.Uuid.ToString("N"), StringComparison.Ordinal) && f.EndsWith(".bin", StringComparison.Ordinal));

        var doc = await FileLedgerInspection.ReadDayAsync(Root, clusterId, Day);
        doc.Format.ShouldBe(FileLedger.FormatVersion);
        doc.Snapshots.Select(s => (s.Uuid, s.Hours, s.State)).ShouldBe([(first.Uuid, 3, "published"), (second.Uuid, 6, "published")]);
        doc.Snapshots[0].Parts.ShouldAllBe(p => p.ContentFile == null);
        doc.Snapshots[0].Parts[0].Length.ShouldBe(first.Parts[0].Content.Length, "metadata of dropped payloads is kept");
        doc.Snapshots[1].PublishedAt.ShouldBe(clock.GetUtcNow());
    }

    [Fact]
    public async Task CrashBeforeCommit_LeavesTemporaryAndPayloadFiles_NextWriteOfTheDayRemovesThem()
    {
        var ledger = await OpenAsync();
        await ledger.RecordFailureAsync(clusterId, Day, null, "first failure", Ct);
        ledger.BeforeCommit = (_, _) => throw new IOException("simulated crash before the rename");
        await Should.ThrowAsync<IOException>(() => ledger.AddPackagedAsync(Snapshot(6, "lost"), Ct));
        Directory.GetFiles(DayDir, "*.tmp").Length.ShouldBe(1);
        Directory.GetFiles(DayDir, "*.bin").Length.ShouldBe(1);

        var restarted = await OpenAsync();
        await restarted.RecordFailureAsync(clusterId, Day, null, "second failure", Ct);

        Directory.GetFiles(DayDir).Select(Path.GetFileName).ShouldBe(["day.json"]);
        log.Messages(5322).ShouldHaveSingleItem().ShouldContain("removed 2 files");
        var day = (await restarted.GetDaysAsync(clusterId, Day, Ct)).ShouldHaveSingleItem();
        day.FailedAttempts.ShouldBe(2);
        day.Pending.ShouldBeNull();
    }

    [Fact]
    public async Task GetDaysAsync_PayloadFileAltered_ThrowsInvalidData()
    {
        var ledger = await OpenAsync();
        await ledger.AddPackagedAsync(Snapshot(6, "original payload"), Ct);
        var payload = Directory.GetFiles(DayDir, "*.bin").ShouldHaveSingleItem();
        await File.WriteAllTextAsync(payload, "altered payload!", Ct);

        var e = await Should.ThrowAsync<InvalidDataException>(() => ledger.GetDaysAsync(clusterId, Day, Ct));

        e.Message.ShouldContain(Path.GetFileName(payload));
    }

    [Fact]
    public async Task GetDaysAsync_DayFileNotJson_ThrowsInvalidData()
    {
        var ledger = await OpenAsync();
        await ledger.RecordFailureAsync(clusterId, Day, null, "boom", Ct);
        await File.WriteAllTextAsync(Path.Combine(DayDir, "day.json"), "{ not json", Ct);

        await Should.ThrowAsync<InvalidDataException>(() => ledger.GetDaysAsync(clusterId, Day, Ct));
    }

    [Fact]
    public async Task AnyWrite_LockFileHeldByAnotherProcess_WaitsUntilItIsReleased()
    {
        var ledger = await OpenAsync();
        await ledger.RecordFailureAsync(clusterId, Day, null, "first", Ct);
        var lockPath = Path.Combine(Root, clusterId, ".lock");
        var other = new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var write = ledger.RecordFailureAsync(clusterId, Day, null, "second", Ct);
        await clock.WaitForTimerAsync(due => due == FileLedger.LockRetryDelay, Ct);

        write.IsCompleted.ShouldBeFalse();
        log.Messages(5321).ShouldHaveSingleItem().ShouldContain(lockPath);
        await other.DisposeAsync();
        clock.Advance(FileLedger.LockRetryDelay);
        await write;
        (await ledger.GetDaysAsync(clusterId, Day, Ct)).ShouldHaveSingleItem().FailedAttempts.ShouldBe(2);
    }

    [Fact]
    public async Task AnyWrite_LockFileHeldLongerThanTheTimeout_ThrowsTimeoutAndChangesNothing()
    {
        var ledger = await OpenAsync();
        await ledger.RecordFailureAsync(clusterId, Day, null, "first", Ct);
        await using (new FileStream(Path.Combine(Root, clusterId, ".lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var write = ledger.RecordFailureAsync(clusterId, Day, null, "second", Ct);
            await clock.WaitForTimerAsync(due => due == FileLedger.LockRetryDelay, Ct);

            clock.Advance(FileLedger.LockTimeout);

            await Should.ThrowAsync<TimeoutException>(() => write);
        }

        (await ledger.GetDaysAsync(clusterId, Day, Ct)).ShouldHaveSingleItem().FailedAttempts.ShouldBe(1);
    }

    [Fact]
    public async Task GetLastDeliveredAsync_StrayFilesAndDirectories_AreIgnored()
    {
        var ledger = await OpenAsync();
        var snapshot = Snapshot(5, "payload");
        await ledger.AddPackagedAsync(snapshot, Ct);
        await ledger.MarkAsync(clusterId, Day, snapshot.Uuid, SnapshotState.Published, Ct);
        Directory.CreateDirectory(Path.Combine(Root, "not a cluster"));
        Directory.CreateDirectory(Path.Combine(Root, clusterId, "not-a-day"));
        Directory.CreateDirectory(Path.Combine(Root, clusterId, "2026-08-05"));
        await File.WriteAllTextAsync(Path.Combine(Root, "stray.txt"), "x", Ct);

        var delivered = await ledger.GetLastDeliveredAsync(Ct);

        delivered.ShouldHaveSingleItem().ShouldBe(new KeyValuePair<string, DateTimeOffset>(clusterId, new DateTimeOffset(2026, 8, 4, 5, 0, 0, TimeSpan.Zero)));
        (await ledger.GetDaysAsync(clusterId, DateOnly.MinValue, Ct)).ShouldHaveSingleItem().Day.ShouldBe(Day);
    }

    [Fact]
    public async Task GetLastDeliveredAsync_NoLedgerDirectoryYet_ReturnsEmpty()
    {
        var ledger = Open();

        (await ledger.GetLastDeliveredAsync(Ct)).ShouldBeEmpty();
        (await ledger.GetDaysAsync(clusterId, Day, Ct)).ShouldBeEmpty();
        Directory.Exists(Root).ShouldBeFalse("reads create nothing");
    }

    [Fact]
    public async Task InitializeAsync_Twice_KeepsTheFormatFileAndLogsReady()
    {
        var ledger = await OpenAsync();
        var format = await File.ReadAllTextAsync(Path.Combine(Root, "format.json"), Ct);

        await ledger.InitializeAsync(Ct);

        (await File.ReadAllTextAsync(Path.Combine(Root, "format.json"), Ct)).ShouldBe(format);
        log.Messages(5320).Count().ShouldBe(2);
        Directory.GetFiles(Root).Select(Path.GetFileName).ShouldBe(["format.json"]);
    }

    [Fact]
    public async Task InitializeAsync_NewerFormatOnDisk_LogsAWarningAndContinues()
    {
        Directory.CreateDirectory(Root);
        await File.WriteAllTextAsync(Path.Combine(Root, "format.json"), """{"format": 7}""", Ct);
        var ledger = Open();

        await ledger.InitializeAsync(Ct);

        var warning = log.Entries().Where(e => e.EventId == 5303).ShouldHaveSingleItem();
        warning.Message.ShouldContain("version 7");
        await ledger.RecordFailureAsync(clusterId, Day, null, "still works", Ct);
    }

    [Fact]
    public async Task AnyCall_AfterDispose_ThrowsObjectDisposed()
    {
        var ledger = await OpenAsync();

        ledger.Dispose();
        ledger.Dispose();

        await Should.ThrowAsync<ObjectDisposedException>(() => ledger.RecordFailureAsync(clusterId, Day, null, "late", Ct));
        await Should.ThrowAsync<ObjectDisposedException>(() => ledger.GetLastDeliveredAsync(Ct));
    }

    [Fact]
    public void Constructor_BlankDirectory_Throws()
    {
        Should.Throw<ArgumentException>(() => new FileLedger(" ", clock));
    }

    [Fact]
    public void DirectorySync_ExistingDirectory_FlushesAndMissingOneThrows()
    {
        Directory.CreateDirectory(dataDirectory);

        DirectorySync.Flush(dataDirectory).ShouldBeNull();
        Should.Throw<IOException>(() => DirectorySync.Flush(Path.Combine(dataDirectory, "missing")));
    }

    private FileLedger Open()
    {
        var ledger = new FileLedger(dataDirectory, clock, log);
        opened.Add(ledger);
        return ledger;
    }

    private async Task<FileLedger> OpenAsync()
    {
        var ledger = Open();
        await ledger.InitializeAsync(Ct);
        return ledger;
    }

    private SnapshotRecord Snapshot(int hours, params string[] contents)
    {
        var uuid = Guid.NewGuid();
        var parts = contents.Select((c, i) => new SnapshotPart($"{uuid:N}-{i}.tar.gz", $"thanos-bridge/{clusterId}/2026-08-04/{uuid:N}-{i}.tar.gz", Encoding.UTF8.GetBytes(c)));
        return new SnapshotRecord(clusterId, Day, hours, uuid, SnapshotState.Packaged, [.. parts], 0, null, clock.GetUtcNow(), clock.GetUtcNow());
    }
}
