using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Ledger;

namespace ThanosBridge.Core.Tests.Ledger;

public sealed class LedgerRulesTests
{
    [Theory]
    [InlineData(SnapshotState.Packaged, SnapshotState.Uploaded, true)]
    [InlineData(SnapshotState.Packaged, SnapshotState.Published, true)]
    [InlineData(SnapshotState.Uploaded, SnapshotState.Published, true)]
    [InlineData(SnapshotState.Published, SnapshotState.Published, false)]
    public void DecideMark_AllowedTransition_ReturnsWhetherItChanges(SnapshotState from, SnapshotState to, bool changes)
    {
        LedgerRules.DecideMark(Guid.NewGuid(), from, to).ShouldBe(changes);
    }

    [Theory]
    [InlineData(SnapshotState.Uploaded, SnapshotState.Uploaded)]
    [InlineData(SnapshotState.Published, SnapshotState.Uploaded)]
    public void DecideMark_BackwardsOrRepeatedUpload_ThrowsInvalidOperation(SnapshotState from, SnapshotState to)
    {
        Should.Throw<InvalidOperationException>(() => LedgerRules.DecideMark(Guid.NewGuid(), from, to));
    }

    [Fact]
    public void DeliveredUntil_FullDay_IsMidnightOfTheNextDay()
    {
        LedgerRules.DeliveredUntil(new DateOnly(2026, 8, 31), 24).ShouldBe(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero));
        LedgerRules.DeliveredUntil(new DateOnly(2026, 8, 31), 1).ShouldBe(new DateTimeOffset(2026, 8, 31, 1, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void TrimError_ShortMessage_IsKeptAsIs()
    {
        LedgerRules.TrimError("upload failed").ShouldBe("upload failed");
        var longest = new string('e', LedgerRules.MaxErrorLength);
        LedgerRules.TrimError(longest).ShouldBe(longest);
    }

    [Theory]
    [InlineData("packaged", SnapshotState.Packaged)]
    [InlineData("uploaded", SnapshotState.Uploaded)]
    [InlineData("published", SnapshotState.Published)]
    public void StateNames_RoundTrip(string name, SnapshotState state)
    {
        LedgerRules.StateName(state).ShouldBe(name);
        LedgerRules.ParseState(name).ShouldBe(state);
    }

    [Fact]
    public void ParseState_UnknownName_ThrowsInvalidData()
    {
        Should.Throw<InvalidDataException>(() => LedgerRules.ParseState("Published"));
    }
}
