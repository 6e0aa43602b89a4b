using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Testing;
using ThanosBridge.Adapters.Ledger;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.TestSupport;
using ThanosBridge.TestSupport.Fakes;
using ThanosBridge.TestSupport.Logging;

namespace ThanosBridge.Adapters.Tests.Ledger;

/// <summary>
/// What only the embedded mode's SQLite ledger has: migrations in a file, and the one-time import of the file ledger of
/// earlier releases. The fixture Fixtures/file-ledger-v1 was written by that file ledger itself (the program beside it,
/// run against 05bbecd), with what its GetDaysAsync and GetLastDeliveredAsync returned saved next to it.
/// </summary>
public sealed class SqliteLedgerTests : IAsyncDisposable
{
    private static readonly string Fixture = Path.Combine(StackEnvironment.RepositoryRoot, "tests", "ThanosBridge.Adapters.Tests", "Ledger", "Fixtures", "file-ledger-v1");
    private static readonly string[] FixtureClusters = ["7a3c1f0e-5b2d-4c8e-9f11-2d4e6b8a0c13", "0b9e4d2a-1c3f-4a5b-8d6e-7f8091a2b3c4"];
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "thanos-bridge-ledger-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider clock = new();
    private readonly FakeLogger<DatabaseLedger> log = new();
    private readonly List<DatabaseLedger> opened = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InitializeAsync_NewFile_AppliesTheMigrations_ThenNothing_InWalMode()
    {
        await Open().InitializeAsync(Ct);
        await Open().InitializeAsync(Ct);

        log.Messages(5301).Select(m => m[(m.LastIndexOf('_') + 1)..]).ShouldBe(["Initial", "DeliveryConfirmation"], "every migration once, in order");
        log.Messages(5302).ShouldHaveSingleItem();
        (await ScalarAsync("PRAGMA journal_mode")).ShouldBe("wal");
        (await ScalarAsync("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'snapshots_%' ORDER BY name)"))
            .ShouldBe("snapshots_day_hours,snapshots_one_pending");
    }

    [Fact]
    public async Task InitializeAsync_FileLedgerOfAnEarlierRelease_IsImportedRowForRow()
    {
        CopyFixture();
        var ledger = Open();

        await ledger.InitializeAsync(Ct);

        var days = new List<ClusterDayState>();
        foreach (var cluster in FixtureClusters)
        {
            days.AddRange(await ledger.GetDaysAsync(ClusterId.Parse(cluster), new DateOnly(2026, 7, 1), Ct));
        }

        (JsonSerializer.Serialize(days, Json) + "\n").ShouldBe(await File.ReadAllTextAsync(Path.Combine(Fixture, "expected-days.json"), Ct));
        var last = (await ledger.GetLastDeliveredAsync(Ct)).OrderBy(kv => kv.Key.Value, StringComparer.Ordinal).ToDictionary();
        (JsonSerializer.Serialize(last, Json) + "\n").ShouldBe(await File.ReadAllTextAsync(Path.Combine(Fixture, "expected-last-delivered.json"), Ct));
        log.Messages(5305).ShouldHaveSingleItem().ShouldContain("imported 4 cluster-days and 5 snapshots");
        Directory.Exists(Path.Combine(dataDirectory, "ledger")).ShouldBeFalse();
        File.Exists(Path.Combine(dataDirectory, "ledger.imported", "format.json")).ShouldBeTrue("the files are kept");
    }

    [Fact]
    public async Task InitializeAsync_ImportedLedgerThenARestart_ImportsNothingTwice()
    {
        CopyFixture();
        await Open().InitializeAsync(Ct);
        CopyFixture();

        await Open().InitializeAsync(Ct);

        log.Messages(5305).ShouldHaveSingleItem("a ledger that holds days is never overwritten by old files");
        Directory.Exists(Path.Combine(dataDirectory, "ledger")).ShouldBeTrue("left where it is");
    }

    [Fact]
    public async Task InitializeAsync_FileLedgerWithAPayloadFileChanged_FailsNamingTheFile_AndImportsNothing()
    {
        CopyFixture();
        var part = Directory.GetFiles(Path.Combine(dataDirectory, "ledger", FixtureClusters[0], "2026-08-02"), "*.bin")[0];
        await File.AppendAllTextAsync(part, "x", Ct);
        var ledger = Open();

        var e = await Should.ThrowAsync<InvalidDataException>(() => ledger.InitializeAsync(Ct));

        e.Message.ShouldContain(part);
        (await ledger.GetDaysAsync(ClusterId.Parse(FixtureClusters[0]), new DateOnly(2026, 7, 1), Ct)).ShouldBeEmpty("the import is one transaction");
        Directory.Exists(Path.Combine(dataDirectory, "ledger")).ShouldBeTrue();
    }

    [Fact]
    public async Task InitializeAsync_MigrationOfANewerBuild_WarnsAndKeepsWorking()
    {
        var ledger = Open();
        await ledger.InitializeAsync(Ct);
        await ScalarAsync("INSERT INTO __EFMigrationsHistory VALUES ('29991231000000_Future', '99.0.0') RETURNING 1");

        await Open().InitializeAsync(Ct);

        log.Entries().Where(e => e.EventId == 5303).ShouldHaveSingleItem().Message.ShouldContain("29991231000000_Future");
        await ledger.RecordFailureAsync(ClusterId.Parse("c1"), new DateOnly(2026, 8, 4), null, "still works", Ct);
        (await ledger.GetDaysAsync(ClusterId.Parse("c1"), new DateOnly(2026, 8, 4), Ct)).ShouldHaveSingleItem().FailedAttempts.ShouldBe(1);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var ledger in opened)
        {
            await ledger.DisposeAsync();
        }

        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private DatabaseLedger Open()
    {
        var ledger = new DatabaseLedger(new SqliteLedgerDatabase(dataDirectory), clock, log);
        opened.Add(ledger);
        return ledger;
    }

    private void CopyFixture()
    {
        var target = Path.Combine(dataDirectory, "ledger");
        foreach (var file in Directory.GetFiles(Path.Combine(Fixture, "ledger"), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(Path.Combine(Fixture, "ledger"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "ledger.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return (await cmd.ExecuteScalarAsync(Ct))?.ToString();
    }
}
