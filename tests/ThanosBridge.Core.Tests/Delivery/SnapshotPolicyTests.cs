using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Delivery;

public sealed class SnapshotPolicyTests
{
    private static readonly DateTimeOffset DayStart = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ClaimedHours_DataUpToHour13WithGaps_ClaimsFrom0000To1400()
    {
        // 00:00-14:00: hours 0..13, whatever is missing in between (koku records the claimed end, never more).
        SnapshotPolicy.ClaimedHours(DayStart, [DayStart.AddHours(2), DayStart.AddHours(13), DayStart.AddHours(5)]).ShouldBe(14);
    }

    [Fact]
    public void ClaimedHours_LaggingHubWithDataOnlyInTheFirstHour_ClaimsOneHour()
    {
        SnapshotPolicy.ClaimedHours(DayStart, [DayStart]).ShouldBe(1);
    }

    [Theory]
    [InlineData("thanos-bridge", "thanos-bridge/c1/2026-11-20/u.tar.gz")]
    [InlineData("thanos-bridge/", "thanos-bridge/c1/2026-11-20/u.tar.gz")]
    [InlineData("a/b//", "a/b/c1/2026-11-20/u.tar.gz")]
    public void ObjectKey_PrefixClusterDayFile(string prefix, string expected) =>
        SnapshotPolicy.ObjectKey(prefix, ClusterId.Parse("c1"), new DateOnly(2026, 11, 20), "u.tar.gz").ShouldBe(expected);

    [Fact]
    public void HasBillableData_NeedsNodeHoursAndAPodRow()
    {
        CsvTable Pods(int rows) => new(ReportKind.Pod, "pod.csv", ["h"], [.. Enumerable.Repeat<IReadOnlyList<string>>(["v"], rows)]);
        var node = new CsvTable(ReportKind.Node, "node.csv", ["h"], [["v"]]);

        SnapshotPolicy.HasBillableData([DayStart], [node, Pods(1)]).ShouldBeTrue();
        SnapshotPolicy.HasBillableData([DayStart], [node, Pods(0)]).ShouldBeFalse("node rows alone bill nothing");
        SnapshotPolicy.HasBillableData([], [node, Pods(1)]).ShouldBeFalse("no hour with node data");
    }
}
