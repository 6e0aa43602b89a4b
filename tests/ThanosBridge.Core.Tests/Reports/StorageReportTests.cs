using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// The storage CSV (cmmo-output.md §2.3, §3.3): PVC-side rows keyed by volumename join PV-side rows keyed by
/// persistentvolume; node only from the usage query; persistentvolumeclaim only from pvc-labels; label regexes.
/// </summary>
public class StorageReportTests
{
    private static readonly DateTimeOffset Hour = new(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);

    private static ReportFixture WithNode() => new ReportFixture(Hour).Cost("node-labels", 1, ("node", "node-a"));

    [Fact]
    public void Build_PvcAndPvQueriesForOneVolume_OneJoinedRow()
    {
        var f = WithNode()
            .Cost("persistentvolume-pod-info", 1, ("namespace", "db"), ("persistentvolumeclaim", "data"), ("pod", "pg-0"), ("volumename", "pvc-123"))
            .Cost("persistentvolumeclaim-capacity-bytes", 100, ("persistentvolume", "pvc-123"))
            .Cost("persistentvolume-labels", 1, ("csi_driver", "ebs"), ("csi_volume_handle", "vol-9"), ("persistentvolume", "pvc-123"), ("storageclass", "gp3"))
            .CostSamples("persistentvolumeclaim-request-bytes", [50, 80], ("namespace", "db"), ("persistentvolumeclaim", "data"), ("volumename", "pvc-123"))
            .CostSamples("persistentvolumeclaim-usage-bytes", [10, 20, 30], ("namespace", "db"), ("node", "node-a"), ("persistentvolumeclaim", "data"), ("volumename", "pvc-123"))
            .Cost("persistentvolumeclaim-labels", 1, ("label_app", "pg"), ("namespace", "db"), ("persistentvolumeclaim", "data"), ("volumename", "pvc-123"));

        var storage = f.Build()[ReportKind.Storage];

        storage.Rows.Count.ShouldBe(1);
        // capacity: 100 × 60 × 60 = 360000; request: max 80 × 60 × 2 = 9600; usage: Σ 60 × 60 = 3600.
        storage.Records()[0].ShouldHaveOnly(
            ("namespace", "db"), ("pod", "pg-0"), ("node", "node-a"), ("persistentvolumeclaim", "data"),
            ("persistentvolume", "pvc-123"), ("storageclass", "gp3"), ("csi_driver", "ebs"), ("csi_volume_handle", "vol-9"),
            ("persistentvolumeclaim_capacity_bytes", "100.000000"), ("persistentvolumeclaim_capacity_byte_seconds", "360000.000000"),
            ("volume_request_storage_byte_seconds", "9600.000000"), ("persistentvolumeclaim_usage_byte_seconds", "3600.000000"),
            ("persistentvolumeclaim_labels", "label_app:pg"));
    }

    [Fact]
    public void Build_PvWithoutPvcInfo_RowHasOnlyPodInfoAndPvColumns()
    {
        var f = WithNode()
            .Cost("persistentvolume-pod-info", 1, ("namespace", "ns1"), ("persistentvolumeclaim", "claim"), ("pod", "p1"), ("volumename", "pv-orphan"))
            .Cost("persistentvolume-labels", 1, ("label_zone", "a"), ("persistentvolume", "pv-orphan"), ("storageclass", "standard"));

        var row = f.Build()[ReportKind.Storage].Single("persistentvolume", "pv-orphan");

        row.ShouldHaveOnly(("namespace", "ns1"), ("pod", "p1"), ("persistentvolume", "pv-orphan"), ("storageclass", "standard"),
            ("persistentvolume_labels", "label_zone:a"));
    }

    [Fact]
    public void Build_PvOnlyInCapacity_RowWithoutPersistentVolumeColumn()
    {
        // The persistentvolume column is set only by pv-labels; the capacity query just adds values to the row.
        var f = WithNode().Cost("persistentvolumeclaim-capacity-bytes", 5, ("persistentvolume", "pv-cap"));

        var storage = f.Build()[ReportKind.Storage];

        storage.Rows.Count.ShouldBe(1);
        storage.Records()[0].ShouldHaveOnly(
            ("persistentvolumeclaim_capacity_bytes", "5.000000"), ("persistentvolumeclaim_capacity_byte_seconds", "18000.000000"));
    }

    [Fact]
    public void Build_NodeLabelOnOtherQueries_NodeOnlyFromUsageQuery()
    {
        var f = WithNode()
            .Cost("persistentvolume-pod-info", 1, ("namespace", "ns1"), ("node", "node-info"), ("pod", "p1"), ("volumename", "pv1"))
            .Cost("persistentvolumeclaim-labels", 1, ("namespace", "ns1"), ("node", "node-labels"), ("persistentvolumeclaim", "c1"), ("volumename", "pv1"))
            .Cost("persistentvolumeclaim-request-bytes", 1, ("namespace", "ns1"), ("node", "node-request"), ("volumename", "pv1"))
            .Cost("persistentvolume-pod-info", 1, ("namespace", "ns2"), ("node", "node-info"), ("pod", "p2"), ("volumename", "pv2"))
            .Cost("persistentvolumeclaim-usage-bytes", 1, ("namespace", "ns2"), ("node", "node-usage"), ("volumename", "pv2"));

        var storage = f.Build()[ReportKind.Storage];

        storage.Single("pod", "p1")["node"].ShouldBe("");
        // The usage query's node is written even though it is not a node row (no join for storage).
        storage.Single("pod", "p2")["node"].ShouldBe("node-usage");
    }

    [Fact]
    public void Build_PvcLabelOnPodInfo_PersistentVolumeClaimOnlyFromPvcLabels()
    {
        var f = WithNode()
            .Cost("persistentvolume-pod-info", 1, ("namespace", "ns1"), ("persistentvolumeclaim", "from-info"), ("pod", "p1"), ("volumename", "pv1"))
            .Cost("persistentvolumeclaim-usage-bytes", 1, ("namespace", "ns1"), ("persistentvolumeclaim", "from-usage"), ("volumename", "pv1"))
            .Cost("persistentvolume-pod-info", 1, ("namespace", "ns1"), ("persistentvolumeclaim", "from-info-2"), ("pod", "p2"), ("volumename", "pv2"))
            .Cost("persistentvolumeclaim-labels", 1, ("namespace", "ns-from-labels"), ("persistentvolumeclaim", "from-labels"), ("volumename", "pv2"));

        var storage = f.Build()[ReportKind.Storage];

        storage.Single("pod", "p1")["persistentvolumeclaim"].ShouldBe("");
        var p2 = storage.Single("pod", "p2");
        p2["persistentvolumeclaim"].ShouldBe("from-labels");
        // pvc-labels runs after pod-info and also writes namespace.
        p2["namespace"].ShouldBe("ns-from-labels");
    }

    [Fact]
    public void Build_LabelRegexes_PvcLabelsUseLabelUnderscorePvLabelsUseLabelStar()
    {
        // `label_` needs the underscore; `label_*` is "label" followed by any number of '_' (unanchored).
        var f = WithNode()
            .Cost("persistentvolumeclaim-labels", 1, ("label_app", "db"), ("labelx", "1"), ("my_label_y", "2"), ("namespace", "ns1"),
                ("persistentvolumeclaim", "c1"), ("volumename", "pv1"))
            .Cost("persistentvolume-labels", 1, ("label_tier", "gold"), ("labelz", "3"), ("mylabel", "4"), ("persistentvolume", "pv1"),
                ("storageclass", "gp3"));

        var row = f.Build()[ReportKind.Storage].Single("persistentvolume", "pv1");

        row["persistentvolumeclaim_labels"].ShouldBe("label_app:db|my_label_y:2");
        row["persistentvolume_labels"].ShouldBe("label_tier:gold|labelz:3|mylabel:4");
    }

    [Fact]
    public void Build_TwoVolumes_SortedByVolumeName()
    {
        var f = WithNode()
            .Cost("persistentvolume-labels", 1, ("persistentvolume", "pvc-b"), ("storageclass", "gp3"))
            .Cost("persistentvolume-labels", 1, ("persistentvolume", "pvc-a"), ("storageclass", "gp2"));

        f.Build()[ReportKind.Storage].Column("persistentvolume").ShouldBe(["pvc-a", "pvc-b"]);
    }
}
