using System.Text;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Confirmation;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.TestSupport.Fakes;

namespace ThanosBridge.Adapters.Tests.Ledger;

/// <summary>
/// The behaviour every <see cref="ILedger"/> must have; the delivery orchestrator relies on it. Compiled into both
/// test assemblies (ThanosBridge.IntegrationTests.csproj links this file as Ledger/LedgerContractTests.cs):
/// SqliteLedgerContractTests runs it on a SQLite file in a temporary directory, PostgresLedgerContractTests on the local
/// PostgreSQL: one EF Core model, two providers.
/// Every test works on its own cluster ids, so runs against a shared database do not interfere.
/// </summary>
public abstract class LedgerContractTests : IAsyncLifetime
{
    protected static readonly DateOnly Day = new(2026, 8, 4);

    private readonly List<string> clusterIds = [];

    protected LedgerContractTests()
    {
        ClusterId = NewClusterId();
    }

    /// <summary>The clock of <see cref="Ledger"/>; it starts at 2026-08-05T12:00:00Z.</summary>
    protected FakeTimeProvider Clock { get; } = new();

    protected ILedger Ledger { get; private set; } = null!;

    /// <summary>A cluster id no other test uses.</summary>
    protected ClusterId ClusterId { get; }

    /// <summary>Every cluster id a test made, so that shared storage can be cleaned up.</summary>
    protected IReadOnlyList<string> ClusterIds => clusterIds;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await SetUpStorageAsync();
        Ledger = OpenLedger(Clock);
        await Ledger.InitializeAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await TearDownStorageAsync();
        GC.SuppressFinalize(this);
    }

    // ---- add / mark / publish lifecycle ----

    [Fact]
    public async Task AddPackagedAsync_NewSnapshot_IsPendingWithItsPayload()
    {
        var snapshot = NewSnapshot(6, createdAt: Clock.GetUtcNow().AddMinutes(-3));
        Clock.Advance(TimeSpan.FromSeconds(7));

        await Ledger.AddPackagedAsync(snapshot, Ct);

        var day = await DayAsync();
        day.ClusterId.ShouldBe(ClusterId);
        day.Published.ShouldBeNull();
        day.DeliveredHours.ShouldBe(0);
        day.FailedAttempts.ShouldBe(0);
        day.LastError.ShouldBeNull();
        ShouldMatch(day.Pending, snapshot, SnapshotState.Packaged);
        day.Pending!.CreatedAt.ShouldBe(snapshot.CreatedAt);
        day.Pending.UpdatedAt.ShouldBe(Clock.GetUtcNow());
        day.Latest.ShouldBeSameAs(day.Pending);
    }

    [Fact]
    public async Task AddPackagedAsync_CreatedAtWithOffsetAndSubMicrosecondTicks_IsStoredInUtcToTheMicrosecond()
    {
        var created = new DateTimeOffset(2026, 8, 5, 14, 30, 15, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var snapshot = NewSnapshot(6, createdAt: created);

        await Ledger.AddPackagedAsync(snapshot, Ct);

        var stored = (await DayAsync()).Pending!.CreatedAt;
        stored.Offset.ShouldBe(TimeSpan.Zero);
        stored.ShouldBe(new DateTimeOffset(2026, 8, 5, 12, 30, 15, TimeSpan.Zero).AddTicks(1_234_560));
    }

    [Fact]
    public async Task AddPackagedAsync_DefaultCreatedAt_TakesTheClocksTime()
    {
        await Ledger.AddPackagedAsync(NewSnapshot(6) with { CreatedAt = default }, Ct);

        (await DayAsync()).Pending!.CreatedAt.ShouldBe(Clock.GetUtcNow());
    }

    [Fact]
    public async Task AddPackagedAsync_SeveralParts_KeepsThemInOrder()
    {
        var snapshot = NewSnapshot(5, contents: [Bytes("first"), [], Bytes("third"), [0, 1, 2, 255]]);

        await Ledger.AddPackagedAsync(snapshot, Ct);

        ShouldMatch((await DayAsync()).Pending, snapshot, SnapshotState.Packaged);
    }

    [Fact]
    public async Task MarkAsync_UploadedThenPublished_BecomesTheDaysPublishedSnapshot()
    {
        var snapshot = NewSnapshot(6);
        await Ledger.AddPackagedAsync(snapshot, Ct);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Uploaded, Ct);
        var uploaded = await DayAsync();
        ShouldMatch(uploaded.Pending, snapshot, SnapshotState.Uploaded);
        uploaded.Pending!.UpdatedAt.ShouldBe(Clock.GetUtcNow());
        uploaded.Published.ShouldBeNull();

        Clock.Advance(TimeSpan.FromMinutes(1));
        await Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Published, Ct);
        var published = await DayAsync();
        published.Pending.ShouldBeNull();
        ShouldMatch(published.Published, snapshot, SnapshotState.Published);
        published.Published!.UpdatedAt.ShouldBe(Clock.GetUtcNow());
        published.DeliveredHours.ShouldBe(6);
        published.Latest.ShouldBeSameAs(published.Published);
    }

    [Fact]
    public async Task MarkAsync_PublishedStraightFromPackaged_IsAllowed()
    {
        var snapshot = NewSnapshot(3);
        await Ledger.AddPackagedAsync(snapshot, Ct);

        await Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Published, Ct);

        ShouldMatch((await DayAsync()).Published, snapshot, SnapshotState.Published);
    }

    [Fact]
    public async Task MarkAsync_PublishedTwice_SecondChangesNothing()
    {
        var snapshot = await PublishAsync(4);
        var before = await DayAsync();
        Clock.Advance(TimeSpan.FromHours(1));
        await Ledger.RecordFailureAsync(ClusterId, Day, null, "announce timed out", Ct);

        await Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Published, Ct);

        var after = await DayAsync();
        ShouldMatch(after.Published, snapshot, SnapshotState.Published);
        after.Published!.UpdatedAt.ShouldBe(before.Published!.UpdatedAt);
        after.FailedAttempts.ShouldBe(1, "a no-op publish resets nothing");
    }

    [Fact]
    public async Task MarkAsync_UploadedWhenAlreadyUploaded_Throws()
    {
        var snapshot = NewSnapshot(6);
        await Ledger.AddPackagedAsync(snapshot, Ct);
        await Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Uploaded, Ct);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Uploaded, Ct));

        ShouldMatch((await DayAsync()).Pending, snapshot, SnapshotState.Uploaded);
    }

    [Fact]
    public async Task MarkAsync_UploadedWhenPublished_ThrowsAndStaysPublished()
    {
        var snapshot = await PublishAsync(6);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Uploaded, Ct));

        ShouldMatch((await DayAsync()).Published, snapshot, SnapshotState.Published);
    }

    [Fact]
    public async Task MarkAsync_PackagedAsTarget_ThrowsArgumentOutOfRange()
    {
        var snapshot = NewSnapshot(6);
        await Ledger.AddPackagedAsync(snapshot, Ct);

        await ShouldFailAsync<ArgumentOutOfRangeException>(() => Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Packaged, Ct));
    }

    [Fact]
    public async Task MarkAsync_UnknownSnapshot_ThrowsInvalidOperation()
    {
        var snapshot = NewSnapshot(6);
        await Ledger.AddPackagedAsync(snapshot, Ct);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.MarkAsync(ClusterId, Day, Guid.NewGuid(), SnapshotState.Published, Ct));
        await ShouldFailAsync<InvalidOperationException>(() => Ledger.MarkAsync(ClusterId, Day.AddDays(1), snapshot.Uuid, SnapshotState.Published, Ct));
        await ShouldFailAsync<InvalidOperationException>(() => Ledger.MarkAsync(NewClusterId(), Day, snapshot.Uuid, SnapshotState.Uploaded, Ct));
        ShouldMatch((await DayAsync()).Pending, snapshot, SnapshotState.Packaged);
    }

    // ---- one pending per day, hours only grow, re-send ----

    [Fact]
    public async Task AddPackagedAsync_PendingAlreadyPresent_ThrowsAndKeepsThePendingOne()
    {
        var first = NewSnapshot(6);
        await Ledger.AddPackagedAsync(first, Ct);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.AddPackagedAsync(NewSnapshot(7), Ct));
        await ShouldFailAsync<InvalidOperationException>(() => Ledger.AddPackagedAsync(first, Ct));

        var day = await DayAsync();
        ShouldMatch(day.Pending, first, SnapshotState.Packaged);
        day.Published.ShouldBeNull();
    }

    [Fact]
    public async Task AddPackagedAsync_UploadedPendingPresent_Throws()
    {
        var first = NewSnapshot(6);
        await Ledger.AddPackagedAsync(first, Ct);
        await Ledger.MarkAsync(ClusterId, Day, first.Uuid, SnapshotState.Uploaded, Ct);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.AddPackagedAsync(NewSnapshot(8), Ct));

        ShouldMatch((await DayAsync()).Pending, first, SnapshotState.Uploaded);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(6)]
    public async Task AddPackagedAsync_HoursNotAbovePublished_Throws(int hours)
    {
        var published = await PublishAsync(6);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.AddPackagedAsync(NewSnapshot(hours), Ct));

        var day = await DayAsync();
        day.Pending.ShouldBeNull();
        ShouldMatch(day.Published, published, SnapshotState.Published);
    }

    [Fact]
    public async Task AddPackagedAsync_MoreHoursThanPublished_IsPendingBesideThePublishedOne()
    {
        var published = await PublishAsync(6);
        var next = NewSnapshot(9);

        await Ledger.AddPackagedAsync(next, Ct);

        var day = await DayAsync();
        ShouldMatch(day.Published, published, SnapshotState.Published);
        ShouldMatch(day.Pending, next, SnapshotState.Packaged);
        day.DeliveredHours.ShouldBe(6);
        day.Latest.ShouldBeSameAs(day.Pending);
    }

    [Fact]
    public async Task AddPackagedAsync_SameUuidAsPublished_ResendsItWithTheSameUuid()
    {
        var older = await PublishAsync(3);
        var current = await PublishAsync(6);

        await Ledger.AddPackagedAsync(current with { State = SnapshotState.Published }, Ct);

        var resending = await DayAsync();
        ShouldMatch(resending.Pending, current, SnapshotState.Packaged);
        resending.Published!.Uuid.ShouldBe(older.Uuid, "while the newest is re-sent, the one before it is the published one");
        resending.Published.Parts.ShouldAllBe(p => p.Content.Length == 0, "its bytes were dropped when the newer one was published");

        await Ledger.MarkAsync(ClusterId, Day, current.Uuid, SnapshotState.Uploaded, Ct);
        await Ledger.MarkAsync(ClusterId, Day, current.Uuid, SnapshotState.Published, Ct);
        var done = await DayAsync();
        done.Pending.ShouldBeNull();
        ShouldMatch(done.Published, current, SnapshotState.Published);
    }

    [Fact]
    public async Task AddPackagedAsync_SameUuidWithOtherHours_Throws()
    {
        var published = await PublishAsync(6);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.AddPackagedAsync(published with { Hours = 7 }, Ct));

        var day = await DayAsync();
        day.Pending.ShouldBeNull();
        ShouldMatch(day.Published, published, SnapshotState.Published);
    }

    [Fact]
    public async Task AddPackagedAsync_UuidOfAnOlderPublishedSnapshot_Throws()
    {
        var older = await PublishAsync(3);
        await PublishAsync(6);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.AddPackagedAsync(older, Ct));

        (await DayAsync()).Pending.ShouldBeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(25)]
    public async Task AddPackagedAsync_HoursOutsideADay_ThrowsArgumentOutOfRange(int hours)
    {
        await ShouldFailAsync<ArgumentOutOfRangeException>(() => Ledger.AddPackagedAsync(NewSnapshot(hours), Ct));

        (await Ledger.GetDaysAsync(ClusterId, Day, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AddPackagedAsync_InvalidSnapshot_ThrowsArgumentAndRecordsNothing()
    {
        var valid = NewSnapshot(6);
        var notVersion4 = Guid.CreateVersion7();

        await ShouldFailAsync<ArgumentException>(() => Ledger.AddPackagedAsync(valid with { Uuid = notVersion4 }, Ct));
        await ShouldFailAsync<ArgumentException>(() => Ledger.AddPackagedAsync(valid with { Uuid = Guid.Empty }, Ct));
        await ShouldFailAsync<ArgumentException>(() => Ledger.AddPackagedAsync(valid with { Parts = [] }, Ct));
        await ShouldFailAsync<ArgumentException>(() => Ledger.AddPackagedAsync(valid with { Parts = [new SnapshotPart("a.tar.gz", "", [1])] }, Ct));
        await ShouldFailAsync<ArgumentException>(() => Ledger.AddPackagedAsync(valid with { Parts = [new SnapshotPart("a.tar.gz", "k", null!)] }, Ct));
        await ShouldFailAsync<ArgumentNullException>(() => Ledger.AddPackagedAsync(null!, Ct));

        (await Ledger.GetDaysAsync(ClusterId, Day, Ct)).ShouldBeEmpty();
    }

    // ---- payload bytes: older dropped, newest kept ----

    [Fact]
    public async Task MarkAsync_NewerPublished_DropsOlderPayloadsButKeepsTheNewest()
    {
        var first = await PublishAsync(3);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([first.Uuid], ignoreOrder: true);

        var second = NewSnapshot(6);
        await Ledger.AddPackagedAsync(second, Ct);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([first.Uuid, second.Uuid], ignoreOrder: true);

        await Ledger.MarkAsync(ClusterId, Day, second.Uuid, SnapshotState.Uploaded, Ct);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([first.Uuid, second.Uuid], ignoreOrder: true);

        await Ledger.MarkAsync(ClusterId, Day, second.Uuid, SnapshotState.Published, Ct);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([second.Uuid]);

        var third = NewSnapshot(9);
        await Ledger.AddPackagedAsync(third, Ct);
        await Ledger.MarkAsync(ClusterId, Day, third.Uuid, SnapshotState.Published, Ct);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([third.Uuid]);

        var day = await DayAsync();
        ShouldMatch(day.Published, third, SnapshotState.Published);
    }

    [Fact]
    public async Task MarkAsync_PublishOnOneDay_KeepsThePayloadsOfOtherDays()
    {
        var yesterday = await PublishAsync(24, Day.AddDays(-1));
        await PublishAsync(3);
        await PublishAsync(6);

        (await StoredPayloadsAsync(ClusterId, Day.AddDays(-1))).ShouldBe([yesterday.Uuid]);
        ShouldMatch((await DayAsync(Day.AddDays(-1))).Published, yesterday, SnapshotState.Published);
    }

    // ---- failures ----

    [Fact]
    public async Task RecordFailureAsync_DayWithoutRecord_CreatesTheDayWithOneAttempt()
    {
        await Ledger.RecordFailureAsync(ClusterId, Day, null, "query pod-usage-cpu-cores failed", Ct);

        var day = await DayAsync();
        day.FailedAttempts.ShouldBe(1);
        day.LastError.ShouldBe("query pod-usage-cpu-cores failed");
        day.Published.ShouldBeNull();
        day.Pending.ShouldBeNull();
        day.DeliveredHours.ShouldBe(0);
    }

    [Fact]
    public async Task RecordFailureAsync_PendingUuid_CountsOnTheDayAndTheSnapshot()
    {
        var snapshot = NewSnapshot(6);
        await Ledger.AddPackagedAsync(snapshot, Ct);

        await Ledger.RecordFailureAsync(ClusterId, Day, snapshot.Uuid, "upload failed: 503", Ct);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await Ledger.RecordFailureAsync(ClusterId, Day, snapshot.Uuid, "upload failed: timeout", Ct);

        var day = await DayAsync();
        day.FailedAttempts.ShouldBe(2);
        day.LastError.ShouldBe("upload failed: timeout");
        day.Pending!.Attempts.ShouldBe(2);
        day.Pending.LastError.ShouldBe("upload failed: timeout");
        day.Pending.UpdatedAt.ShouldBe(Clock.GetUtcNow());
        day.Pending.State.ShouldBe(SnapshotState.Packaged);
    }

    [Fact]
    public async Task RecordFailureAsync_ThenPublish_ResetsTheDayButKeepsTheSnapshotsAttempts()
    {
        var snapshot = NewSnapshot(6);
        await Ledger.AddPackagedAsync(snapshot, Ct);
        await Ledger.RecordFailureAsync(ClusterId, Day, snapshot.Uuid, "announce failed", Ct);
        await Ledger.RecordFailureAsync(ClusterId, Day, null, "collection failed", Ct);

        await Ledger.MarkAsync(ClusterId, Day, snapshot.Uuid, SnapshotState.Published, Ct);

        var day = await DayAsync();
        day.FailedAttempts.ShouldBe(0);
        day.LastError.ShouldBeNull();
        day.Published!.Attempts.ShouldBe(1);
        day.Published.LastError.ShouldBe("announce failed");
    }

    [Fact]
    public async Task RecordFailureAsync_AfterPublish_CountsAgainUntilTheNextPublish()
    {
        await PublishAsync(6);

        await Ledger.RecordFailureAsync(ClusterId, Day, null, "Thanos unreachable", Ct);

        var failed = await DayAsync();
        failed.FailedAttempts.ShouldBe(1);
        failed.DeliveredHours.ShouldBe(6);

        await PublishAsync(7);
        (await DayAsync()).FailedAttempts.ShouldBe(0);
    }

    [Fact]
    public async Task RecordFailureAsync_UnknownUuid_CountsTheDayOnly()
    {
        var snapshot = NewSnapshot(6);
        await Ledger.AddPackagedAsync(snapshot, Ct);

        await Ledger.RecordFailureAsync(ClusterId, Day, Guid.NewGuid(), "packaging refused", Ct);

        var day = await DayAsync();
        day.FailedAttempts.ShouldBe(1);
        day.Pending!.Attempts.ShouldBe(0);
        day.Pending.LastError.ShouldBeNull();
    }

    [Fact]
    public async Task RecordFailureAsync_LongMessage_KeepsTheFirst2000Characters()
    {
        var message = new string('x', 1999) + "yz" + new string('w', 500);

        await Ledger.RecordFailureAsync(ClusterId, Day, null, message, Ct);

        var stored = (await DayAsync()).LastError!;
        stored.Length.ShouldBe(2000);
        stored.ShouldBe(message[..2000]);
    }

    [Fact]
    public async Task RecordFailureAsync_SurrogatePairAtTheLimitOrNul_StoresValidText()
    {
        var message = new string('x', 1999) + "\U0001F600" + "tail";

        await Ledger.RecordFailureAsync(ClusterId, Day, null, message, Ct);
        (await DayAsync()).LastError.ShouldBe(new string('x', 1999));

        await Ledger.RecordFailureAsync(ClusterId, Day, null, "bad\0byte", Ct);
        (await DayAsync()).LastError.ShouldBe("bad\uFFFDbyte");
    }

    // ---- reading ----

    [Fact]
    public async Task GetDaysAsync_SeveralDays_ReturnsDaysWithRecordsFromFromDayInOrder()
    {
        await Ledger.AddPackagedAsync(NewSnapshot(2, Day.AddDays(1)), Ct);
        await PublishAsync(24, Day.AddDays(-1));
        await Ledger.RecordFailureAsync(ClusterId, Day.AddDays(-3), null, "old failure", Ct);
        await PublishAsync(5, Day);
        await PublishAsync(24, Day.AddDays(-10));

        var fromYesterday = await Ledger.GetDaysAsync(ClusterId, Day.AddDays(-1), Ct);
        fromYesterday.Select(d => d.Day).ShouldBe([Day.AddDays(-1), Day, Day.AddDays(1)]);
        fromYesterday.Select(d => d.DeliveredHours).ShouldBe([24, 5, 0]);
        fromYesterday[2].Pending!.Hours.ShouldBe(2);
        fromYesterday.ShouldAllBe(d => d.ClusterId == ClusterId);

        var all = await Ledger.GetDaysAsync(ClusterId, Day.AddDays(-30), Ct);
        all.Select(d => d.Day).ShouldBe([Day.AddDays(-10), Day.AddDays(-3), Day.AddDays(-1), Day, Day.AddDays(1)]);
        all[1].FailedAttempts.ShouldBe(1);
        all[1].Published.ShouldBeNull();

        (await Ledger.GetDaysAsync(ClusterId, Day.AddDays(2), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetDaysAsync_UnknownCluster_ReturnsEmpty()
    {
        (await Ledger.GetDaysAsync(NewClusterId(), DateOnly.MinValue, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task GetLastDeliveredAsync_PublishedDays_ReturnsTheEndOfTheLastPublishedHourPerCluster()
    {
        var pendingOnly = NewClusterId();
        var failureOnly = NewClusterId();
        var other = NewClusterId();
        await PublishAsync(24, Day.AddDays(-1));
        await PublishAsync(6, Day);
        await Ledger.AddPackagedAsync(NewSnapshot(9, Day), Ct);
        await Ledger.AddPackagedAsync(NewSnapshot(4, Day, pendingOnly), Ct);
        await Ledger.RecordFailureAsync(failureOnly, Day, null, "no data", Ct);
        await PublishAsync(24, Day.AddDays(-2), other);

        var delivered = await Ledger.GetLastDeliveredAsync(Ct);

        delivered[ClusterId].ShouldBe(new DateTimeOffset(2026, 8, 4, 6, 0, 0, TimeSpan.Zero));
        delivered[other].ShouldBe(new DateTimeOffset(2026, 8, 3, 0, 0, 0, TimeSpan.Zero));
        delivered.Keys.ShouldNotContain(pendingOnly);
        delivered.Keys.ShouldNotContain(failureOnly);
    }

    [Fact]
    public async Task AllCalls_TwoClustersSameDay_AreIsolated()
    {
        var other = NewClusterId();
        var mine = NewSnapshot(6);
        var theirs = NewSnapshot(6, clusterId: other);
        await Ledger.AddPackagedAsync(mine, Ct);

        await Ledger.AddPackagedAsync(theirs, Ct);
        await Ledger.RecordFailureAsync(other, Day, theirs.Uuid, "their failure", Ct);
        await Ledger.MarkAsync(other, Day, theirs.Uuid, SnapshotState.Published, Ct);
        await Ledger.RecordFailureAsync(other, Day, null, "their second failure", Ct);

        var myDay = await DayAsync();
        ShouldMatch(myDay.Pending, mine, SnapshotState.Packaged);
        myDay.Published.ShouldBeNull();
        myDay.FailedAttempts.ShouldBe(0);
        var theirDay = (await Ledger.GetDaysAsync(other, Day, Ct)).ShouldHaveSingleItem();
        ShouldMatch(theirDay.Published, theirs, SnapshotState.Published);
        theirDay.FailedAttempts.ShouldBe(1);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([mine.Uuid]);
        var delivered = await Ledger.GetLastDeliveredAsync(Ct);
        delivered.Keys.ShouldContain(other);
        delivered.Keys.ShouldNotContain(ClusterId);
    }

    // ---- delivery confirmation ----

    [Fact]
    public async Task GetPublishedAsync_ADaysSnapshots_OnlyTheOneWithMostHoursIsLatest_PendingOnesAreLeftOut()
    {
        var older = await PublishAsync(6);
        Clock.Advance(TimeSpan.FromHours(6));
        var newer = await PublishAsync(12);
        await Ledger.AddPackagedAsync(NewSnapshot(18), Ct);

        var mine = (await Ledger.GetPublishedAsync(Day, includeFinal: false, Ct)).Where(p => p.ClusterId == ClusterId).ToList();

        mine.Select(p => (p.Uuid, p.Hours, p.IsLatest, p.Reannouncements, p.Status)).ShouldBe(
            [(older.Uuid, 6, false, 0, (KokuStatus?)null), (newer.Uuid, 12, true, 0, null)]);
        mine[1].PublishedAt.ShouldBe(Clock.GetUtcNow());
        mine[1].AnnouncedAt.ShouldBe(mine[1].PublishedAt);
        (await Ledger.GetPublishedAsync(Day.AddDays(1), includeFinal: true, Ct)).Where(p => p.ClusterId == ClusterId).ShouldBeEmpty();
    }

    [Fact]
    public async Task RecordKokuStatusesAsync_FinalStatuses_AreLeftOutUnlessAskedFor_OthersStayChecked()
    {
        var superseded = await PublishAsync(6);
        var completed = await PublishAsync(12, Day.AddDays(1));
        var failed = await PublishAsync(12, Day.AddDays(2));
        var completedAt = Clock.GetUtcNow().AddMinutes(-5);

        await Ledger.RecordKokuStatusesAsync(
            [new(superseded.Uuid, KokuStatus.Superseded, null), new(completed.Uuid, KokuStatus.Completed, completedAt), new(failed.Uuid, KokuStatus.ProcessingFailed, null)], Ct);

        (await Ledger.GetPublishedAsync(Day, includeFinal: false, Ct)).Where(p => p.ClusterId == ClusterId)
            .Select(p => (p.Uuid, p.Status)).ShouldBe([(failed.Uuid, (KokuStatus?)KokuStatus.ProcessingFailed)]);
        (await Ledger.GetPublishedAsync(Day, includeFinal: true, Ct)).Where(p => p.ClusterId == ClusterId)
            .Select(p => p.Status).ShouldBe([KokuStatus.Superseded, KokuStatus.Completed, KokuStatus.ProcessingFailed]);
    }

    [Fact]
    public async Task RecordReannouncedAsync_CountsIt_MovesTheAnnouncementTime_AndSetsAwaiting()
    {
        var snapshot = await PublishAsync(6);
        var publishedAt = Clock.GetUtcNow();
        await Ledger.RecordKokuStatusesAsync([new(snapshot.Uuid, KokuStatus.Awaiting, null)], Ct);
        Clock.Advance(TimeSpan.FromHours(5));

        await Ledger.RecordReannouncedAsync(ClusterId, Day, snapshot.Uuid, Ct);
        await Ledger.RecordReannouncedAsync(ClusterId, Day, snapshot.Uuid, Ct);

        var read = (await Ledger.GetPublishedAsync(Day, includeFinal: false, Ct)).Single(p => p.Uuid == snapshot.Uuid);
        (read.Reannouncements, read.PublishedAt, read.AnnouncedAt, read.Status).ShouldBe((2, publishedAt, Clock.GetUtcNow(), (KokuStatus?)KokuStatus.Awaiting));
        (await DayAsync()).Published!.Parts.Single().Content.ShouldBe(snapshot.Parts.Single().Content, "the payload a re-announcement uploads again");
    }

    [Fact]
    public async Task RecordReannouncedAsync_SnapshotNotPublished_Throws()
    {
        var pending = NewSnapshot(6);
        await Ledger.AddPackagedAsync(pending, Ct);

        await ShouldFailAsync<InvalidOperationException>(() => Ledger.RecordReannouncedAsync(ClusterId, Day, pending.Uuid, Ct));
    }

    // ---- restarts and crashes ----

    [Fact]
    public async Task NewInstance_AfterEveryKindOfWrite_SeesTheSameState()
    {
        await PublishAsync(24, Day.AddDays(-1));
        await PublishAsync(3);
        var pending = NewSnapshot(6);
        await Ledger.AddPackagedAsync(pending, Ct);
        await Ledger.MarkAsync(ClusterId, Day, pending.Uuid, SnapshotState.Uploaded, Ct);
        await Ledger.RecordFailureAsync(ClusterId, Day, pending.Uuid, "announce failed", Ct);
        await Ledger.RecordFailureAsync(ClusterId, Day.AddDays(1), null, "collection failed", Ct);
        var expected = await Ledger.GetDaysAsync(ClusterId, DateOnly.MinValue, Ct);

        var restarted = OpenLedger(Clock);
        await restarted.InitializeAsync(Ct);

        ShouldBeEquivalent(await restarted.GetDaysAsync(ClusterId, DateOnly.MinValue, Ct), expected);
        (await restarted.GetLastDeliveredAsync(Ct))[ClusterId].ShouldBe((await Ledger.GetLastDeliveredAsync(Ct))[ClusterId]);
    }

    [Fact]
    public async Task CrashBeforeCommit_AddPackaged_NewInstanceSeesTheLastCommittedStateAndCanRetry()
    {
        var published = await PublishAsync(3);
        var expected = await Ledger.GetDaysAsync(ClusterId, DateOnly.MinValue, Ct);
        var next = NewSnapshot(6);
        CrashBeforeNextCommit(Ledger);

        (await Record.ExceptionAsync(() => Ledger.AddPackagedAsync(next, Ct))).ShouldNotBeNull();

        var restarted = OpenLedger(Clock);
        await restarted.InitializeAsync(Ct);
        ShouldBeEquivalent(await restarted.GetDaysAsync(ClusterId, DateOnly.MinValue, Ct), expected);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([published.Uuid]);

        await restarted.AddPackagedAsync(next, Ct);
        ShouldMatch((await restarted.GetDaysAsync(ClusterId, Day, Ct)).Single().Pending, next, SnapshotState.Packaged);
    }

    [Fact]
    public async Task CrashBeforeCommit_Publish_NewInstanceSeesItUploadedWithOlderBytesKept()
    {
        var first = await PublishAsync(3);
        var second = NewSnapshot(6);
        await Ledger.AddPackagedAsync(second, Ct);
        await Ledger.MarkAsync(ClusterId, Day, second.Uuid, SnapshotState.Uploaded, Ct);
        await Ledger.RecordFailureAsync(ClusterId, Day, second.Uuid, "announce failed", Ct);
        CrashBeforeNextCommit(Ledger);

        (await Record.ExceptionAsync(() => Ledger.MarkAsync(ClusterId, Day, second.Uuid, SnapshotState.Published, Ct))).ShouldNotBeNull();

        var restarted = OpenLedger(Clock);
        await restarted.InitializeAsync(Ct);
        var day = (await restarted.GetDaysAsync(ClusterId, Day, Ct)).Single();
        ShouldMatch(day.Published, first, SnapshotState.Published);
        ShouldMatch(day.Pending, second, SnapshotState.Uploaded);
        day.FailedAttempts.ShouldBe(1);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([first.Uuid, second.Uuid], ignoreOrder: true);

        await restarted.MarkAsync(ClusterId, Day, second.Uuid, SnapshotState.Published, Ct);
        (await StoredPayloadsAsync(ClusterId, Day)).ShouldBe([second.Uuid]);
    }

    [Fact]
    public async Task CrashBeforeCommit_RecordFailure_NewInstanceSeesTheOldCount()
    {
        await Ledger.RecordFailureAsync(ClusterId, Day, null, "first", Ct);
        CrashBeforeNextCommit(Ledger);

        (await Record.ExceptionAsync(() => Ledger.RecordFailureAsync(ClusterId, Day, null, "second", Ct))).ShouldNotBeNull();

        var restarted = OpenLedger(Clock);
        await restarted.InitializeAsync(Ct);
        var day = (await restarted.GetDaysAsync(ClusterId, Day, Ct)).Single();
        day.FailedAttempts.ShouldBe(1);
        day.LastError.ShouldBe("first");
    }

    [Fact]
    public async Task CrashBeforeCommit_FirstWriteOfADay_NewInstanceSeesNoDay()
    {
        CrashBeforeNextCommit(Ledger);

        (await Record.ExceptionAsync(() => Ledger.AddPackagedAsync(NewSnapshot(6), Ct))).ShouldNotBeNull();

        var restarted = OpenLedger(Clock);
        await restarted.InitializeAsync(Ct);
        (await restarted.GetDaysAsync(ClusterId, DateOnly.MinValue, Ct)).ShouldBeEmpty();
        (await restarted.GetLastDeliveredAsync(Ct)).Keys.ShouldNotContain(ClusterId);
    }

    // ---- two instances (processes) at once ----

    [Fact]
    public async Task AddPackagedAsync_TwoInstancesAtOnce_ExactlyOneBecomesPending()
    {
        var a = OpenLedger(TimeProvider.System);
        var b = OpenLedger(TimeProvider.System);
        for (var i = 0; i < 8; i++)
        {
            var day = Day.AddDays(-i);
            var first = NewSnapshot(6, day);
            var second = NewSnapshot(7, day);

            var results = await Task.WhenAll(
                Record.ExceptionAsync(() => Task.Run(() => a.AddPackagedAsync(first, Ct), Ct)).AsTask(),
                Record.ExceptionAsync(() => Task.Run(() => b.AddPackagedAsync(second, Ct), Ct)).AsTask());

            results.Count(e => e is null).ShouldBe(1);
            results.Single(e => e is not null).ShouldBeOfType<InvalidOperationException>();
            var state = (await Ledger.GetDaysAsync(ClusterId, day, Ct))[0];
            state.Pending!.Uuid.ShouldBe(results[0] is null ? first.Uuid : second.Uuid);
        }
    }

    [Fact]
    public async Task RecordFailureAsync_TwoInstancesAtOnce_CountsEveryAttempt()
    {
        var a = OpenLedger(TimeProvider.System);
        var b = OpenLedger(TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(
            () => (i % 2 == 0 ? a : b).RecordFailureAsync(ClusterId, Day, null, $"failure {i}", Ct), Ct)));

        (await DayAsync()).FailedAttempts.ShouldBe(20);
    }

    // ---- helpers ----

    /// <summary>A cluster id no other test uses (tracked for <see cref="ClusterIds"/>).</summary>
    protected ClusterId NewClusterId()
    {
        var id = ClusterId.Parse("ledger-test-" + Guid.NewGuid().ToString("N"));
        Track(id);
        return id;
    }

    protected static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Creates the storage before the first ledger is opened.</summary>
    protected virtual ValueTask SetUpStorageAsync() => ValueTask.CompletedTask;

    /// <summary>Releases the storage and every ledger opened.</summary>
    protected virtual ValueTask TearDownStorageAsync() => ValueTask.CompletedTask;

    /// <summary>A new ledger over the same storage, as a restarted (or second) process would open it.</summary>
    protected abstract ILedger OpenLedger(TimeProvider clock);

    /// <summary>Makes every later write of <paramref name="ledger"/> fail just before its commit, as a crash there would.</summary>
    protected abstract void CrashBeforeNextCommit(ILedger ledger);

    /// <summary>The uuids of the day's snapshots whose payload bytes are still stored.</summary>
    protected abstract Task<IReadOnlyList<Guid>> StoredPayloadsAsync(ClusterId clusterId, DateOnly day);

    protected SnapshotRecord NewSnapshot(
        int hours, DateOnly? day = null, ClusterId? clusterId = null, DateTimeOffset? createdAt = null, byte[][]? contents = null)
    {
        var cluster = clusterId ?? ClusterId;
        Track(cluster);
        var d = day ?? Day;
        var uuid = Guid.NewGuid();
        var dayText = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        contents ??= [Bytes($"payload of {cluster} {dayText} {hours}h {uuid}")];
        var parts = contents
            .Select((c, i) => new SnapshotPart($"{uuid:N}-{i}.tar.gz", $"thanos-bridge/{cluster}/{dayText}/{uuid:N}-{i}.tar.gz", c))
            .ToList();
        var created = createdAt ?? Clock.GetUtcNow();
        return new SnapshotRecord(cluster, d, hours, uuid, SnapshotState.Packaged, parts, 0, null, created, created);
    }

    /// <summary>Adds and publishes a new snapshot.</summary>
    protected async Task<SnapshotRecord> PublishAsync(int hours, DateOnly? day = null, ClusterId? clusterId = null)
    {
        var snapshot = NewSnapshot(hours, day, clusterId);
        await Ledger.AddPackagedAsync(snapshot, Ct);
        await Ledger.MarkAsync(snapshot.ClusterId, snapshot.Day, snapshot.Uuid, SnapshotState.Published, Ct);
        return snapshot;
    }

    protected async Task<ClusterDayState> DayAsync(DateOnly? day = null)
    {
        var d = day ?? Day;
        return (await Ledger.GetDaysAsync(ClusterId, d, Ct)).Where(x => x.Day == d).ShouldHaveSingleItem();
    }

    protected static void ShouldMatch(SnapshotRecord? actual, SnapshotRecord expected, SnapshotState state)
    {
        actual.ShouldNotBeNull();
        actual.ClusterId.ShouldBe(expected.ClusterId);
        actual.Day.ShouldBe(expected.Day);
        actual.Hours.ShouldBe(expected.Hours);
        actual.Uuid.ShouldBe(expected.Uuid);
        actual.State.ShouldBe(state);
        actual.Parts.Count.ShouldBe(expected.Parts.Count);
        for (var i = 0; i < expected.Parts.Count; i++)
        {
            actual.Parts[i].FileName.ShouldBe(expected.Parts[i].FileName);
            actual.Parts[i].ObjectKey.ShouldBe(expected.Parts[i].ObjectKey);
            actual.Parts[i].Content.ShouldBe(expected.Parts[i].Content);
        }
    }

    protected static void ShouldBeEquivalent(IReadOnlyList<ClusterDayState> actual, IReadOnlyList<ClusterDayState> expected)
    {
        actual.Count.ShouldBe(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            actual[i].ClusterId.ShouldBe(expected[i].ClusterId);
            actual[i].Day.ShouldBe(expected[i].Day);
            actual[i].FailedAttempts.ShouldBe(expected[i].FailedAttempts);
            actual[i].LastError.ShouldBe(expected[i].LastError);
            ShouldBeEquivalent(actual[i].Published, expected[i].Published);
            ShouldBeEquivalent(actual[i].Pending, expected[i].Pending);
        }
    }

    protected static async Task ShouldFailAsync<TException>(Func<Task> action)
        where TException : Exception
    {
        var exception = await Record.ExceptionAsync(action);
        exception.ShouldBeAssignableTo<TException>();
    }

    private static void ShouldBeEquivalent(SnapshotRecord? actual, SnapshotRecord? expected)
    {
        if (expected is null)
        {
            actual.ShouldBeNull();
            return;
        }

        ShouldMatch(actual, expected, expected.State);
        actual!.Attempts.ShouldBe(expected.Attempts);
        actual.LastError.ShouldBe(expected.LastError);
        actual.CreatedAt.ShouldBe(expected.CreatedAt);
        actual.UpdatedAt.ShouldBe(expected.UpdatedAt);
    }

    private void Track(ClusterId clusterId)
    {
        lock (clusterIds)
        {
            if (!clusterIds.Contains(clusterId.Value))
            {
                clusterIds.Add(clusterId.Value);
            }
        }
    }
}
