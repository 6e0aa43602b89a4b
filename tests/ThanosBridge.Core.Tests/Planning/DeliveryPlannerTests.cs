using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Core.Planning;

namespace ThanosBridge.Core.Tests.Planning;

public class DeliveryPlannerTests
{
    private static readonly DeliveryOptions Options = new() { Settle = TimeSpan.FromMinutes(15), BackfillDays = 2, KokuRetentionMonths = 4 };

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static SnapshotRecord Snapshot(DateOnly day, int hours, SnapshotState state) =>
        new(ClusterId.Parse("c1"), day, hours, Guid.NewGuid(), state, [], 0, null, At("2026-11-20T00:00:00Z"), At("2026-11-20T00:00:00Z"));

    [Theory]
    [InlineData("2026-11-21T06:14:59Z", "2026-11-21T05:00:00Z")] // 05:00-06:00 ended 14m59s ago: not settled
    [InlineData("2026-11-21T06:15:00Z", "2026-11-21T06:00:00Z")] // exactly 15 minutes after 06:00
    [InlineData("2026-11-21T00:10:00Z", "2026-11-20T23:00:00Z")] // just after midnight: yesterday's last hour not settled
    public void SettledUntil_RespectsTheSettleTime(string now, string expected) =>
        DeliveryPlanner.SettledUntil(At(now), TimeSpan.FromMinutes(15)).ShouldBe(At(expected));

    [Fact]
    public void Plan_NoLedger_CatchesUpBackfillDaysAndToday_OldestFirst()
    {
        var plans = DeliveryPlanner.Plan(At("2026-11-21T06:20:00Z"), Options, []);

        plans.Select(p => (p.Day, p.AvailableHours)).ShouldBe(
        [
            (new DateOnly(2026, 11, 19), 24),
            (new DateOnly(2026, 11, 20), 24),
            (new DateOnly(2026, 11, 21), 6),
        ]);
        plans.ShouldAllBe(p => p.NeedsNewSnapshot && !p.HasPending && !p.Forced);
    }

    [Fact]
    public void Plan_DaysAlreadyDeliveredInFull_AreLeftAlone_TodayGrows()
    {
        var days = new[]
        {
            new ClusterDayState(ClusterId.Parse("c1"), new DateOnly(2026, 11, 19), Snapshot(new DateOnly(2026, 11, 19), 24, SnapshotState.Published), null),
            new ClusterDayState(ClusterId.Parse("c1"), new DateOnly(2026, 11, 20), Snapshot(new DateOnly(2026, 11, 20), 24, SnapshotState.Published), null),
            new ClusterDayState(ClusterId.Parse("c1"), new DateOnly(2026, 11, 21), Snapshot(new DateOnly(2026, 11, 21), 6, SnapshotState.Published), null),
        };

        DeliveryPlanner.Plan(At("2026-11-21T06:20:00Z"), Options, days).ShouldBeEmpty("nothing is settled beyond what koku has");
        var later = DeliveryPlanner.Plan(At("2026-11-21T12:20:00Z"), Options, days);
        later.Single().Day.ShouldBe(new DateOnly(2026, 11, 21));
        later.Single().AvailableHours.ShouldBe(12);
    }

    [Fact]
    public void Plan_AfterMidnight_SendsYesterdaysFinalSnapshotOnceItsLastHourSettled()
    {
        var days = new[] { new ClusterDayState(ClusterId.Parse("c1"), new DateOnly(2026, 11, 20), Snapshot(new DateOnly(2026, 11, 20), 18, SnapshotState.Published), null) };
        var options = Options with { BackfillDays = 1 };

        DeliveryPlanner.Plan(At("2026-11-21T00:10:00Z"), options, days).Single().AvailableHours.ShouldBe(23);
        var plans = DeliveryPlanner.Plan(At("2026-11-21T00:15:00Z"), options, days);
        plans.Single().Day.ShouldBe(new DateOnly(2026, 11, 20));
        plans.Single().AvailableHours.ShouldBe(24);
    }

    [Fact]
    public void Plan_PendingSnapshot_IsPlannedEvenWithoutNewHours()
    {
        var day = new DateOnly(2026, 11, 21);
        var days = new[] { new ClusterDayState(ClusterId.Parse("c1"), day, null, Snapshot(day, 6, SnapshotState.Uploaded)) };

        var plan = DeliveryPlanner.Plan(At("2026-11-21T06:20:00Z"), Options with { BackfillDays = 0 }, days).Single();

        plan.HasPending.ShouldBeTrue();
        plan.NeedsNewSnapshot.ShouldBeFalse("the pending snapshot already holds the 6 settled hours");
    }

    [Fact]
    public void Plan_OnlyDay_ForcesThatDayAlone_EvenWhenUpToDate()
    {
        var day = new DateOnly(2026, 11, 20);
        var days = new[] { new ClusterDayState(ClusterId.Parse("c1"), day, Snapshot(day, 24, SnapshotState.Published), null) };

        var plan = DeliveryPlanner.Plan(At("2026-11-21T06:20:00Z"), Options, days, onlyDay: day).Single();

        plan.Day.ShouldBe(day);
        plan.Forced.ShouldBeTrue();
        plan.NeedsNewSnapshot.ShouldBeFalse();
    }

    [Fact]
    public void Plan_FutureDayOrUnsettledDay_IsNotPlanned()
    {
        DeliveryPlanner.Plan(At("2026-11-21T00:05:00Z"), Options, [], onlyDay: new DateOnly(2026, 11, 21)).ShouldBeEmpty();
        DeliveryPlanner.Plan(At("2026-11-21T06:20:00Z"), Options, [], onlyDay: new DateOnly(2026, 11, 22)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("2026-11-21T06:00:00Z", 4, "2026-08-01")]
    [InlineData("2026-11-21T06:00:00Z", 1, "2026-11-01")]
    [InlineData("2026-01-05T06:00:00Z", 3, "2025-11-01")]
    public void OldestAcceptedDay_FollowsKokusRetentionCutoff(string now, int months, string expected) =>
        DeliveryPlanner.OldestAcceptedDay(At(now), months).ShouldBe(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Plan_BackfillNeverReachesBeforeKokusRetention()
    {
        var plans = DeliveryPlanner.Plan(At("2026-11-02T06:20:00Z"), Options with { BackfillDays = 30, KokuRetentionMonths = 1 }, []);

        plans[0].Day.ShouldBe(new DateOnly(2026, 11, 1));
    }

    [Fact]
    public void Plan_DayBoundaryOfTheMonth_KeepsDaysSeparate()
    {
        var plans = DeliveryPlanner.Plan(At("2026-12-01T03:30:00Z"), Options with { BackfillDays = 1 }, []);

        plans.Select(p => (p.Day, p.AvailableHours)).ShouldBe([(new DateOnly(2026, 11, 30), 24), (new DateOnly(2026, 12, 1), 3)]);
    }
}
