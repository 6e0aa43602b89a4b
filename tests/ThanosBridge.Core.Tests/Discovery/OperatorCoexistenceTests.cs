using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Discovery;

public class OperatorCoexistenceTests
{
    private static readonly ClusterId A = ClusterId.Parse("a");
    private static readonly ClusterId B = ClusterId.Parse("b");
    private static readonly DateTimeOffset At = new(2026, 12, 3, 4, 0, 0, TimeSpan.Zero);

    private static readonly DiscoveryResult Found = new(
        [new DiscoveredCluster(A, "org1"), new DiscoveredCluster(A, "org2"), new DiscoveredCluster(B, "org1")],
        [new SkippedCluster("c", SkipReasons.Paused, "paused in koku")]);

    private static CoexistenceOptions Options(params ClusterId[] switchedOver) => new(TimeSpan.FromHours(24), switchedOver.ToHashSet());

    [Fact]
    public void Apply_OperatorUploadForA_SkipsAOnceForAllItsOrgs_KeepsBAndEarlierSkips()
    {
        var result = OperatorCoexistence.Apply(Found, new Dictionary<string, OperatorUpload> { ["a"] = new("costmanagement-metrics-operator:4.4.2", At) }, Options());

        result.Clusters.ShouldBe([new DiscoveredCluster(B, "org1")]);
        result.Skipped.Select(s => (s.ClusterId, s.Reason)).ShouldBe([("c", SkipReasons.Paused), ("a", SkipReasons.CmmoActive)]);
        result.Skipped[1].Detail.ShouldBe(
            "koku recorded a payload from costmanagement-metrics-operator:4.4.2 at 2026-12-03T04:00:00Z, within the last 24 h " +
            "(THANOS_BRIDGE_CMMO_WINDOW_HOURS); two producers for one cluster make koku's days flap, so the bridge waits: " +
            "disable the operator's upload, or list the cluster in THANOS_BRIDGE_SWITCHED_OVER_CLUSTERS");
    }

    [Fact]
    public void Apply_SwitchedOverCluster_IsKeptDespiteTheUpload()
    {
        var result = OperatorCoexistence.Apply(Found, new Dictionary<string, OperatorUpload> { ["a"] = new("costmanagement-metrics-operator:4.4.2", At) }, Options(A));

        result.Clusters.ShouldBe(Found.Clusters);
        result.Skipped.ShouldBe(Found.Skipped);
    }

    [Fact]
    public void Apply_NoUpload_ChangesNothing()
    {
        var result = OperatorCoexistence.Apply(Found, new Dictionary<string, OperatorUpload>(), Options());

        result.Clusters.ShouldBe(Found.Clusters);
        result.Skipped.ShouldBe(Found.Skipped);
    }

    [Fact]
    public void CmmoActive_IsAProblemReason_SoTheSkippedAlertFires()
    {
        SkipReasons.Problems.ShouldContain(SkipReasons.CmmoActive);
    }
}
