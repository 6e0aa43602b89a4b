using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// Label columns (cmmo-output.md §3.6, gotcha 7): every label whose name matches the regex anywhere, as
/// <c>name:value</c> with the <c>label_</c> prefix kept, sorted ordinally as whole strings, joined with '|'.
/// </summary>
public class LabelStringTests
{
    private static readonly DateTimeOffset Hour = new(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);

    private static string NodeLabels(params (string, string)[] labels)
    {
        var reports = new ReportFixture(Hour).Cost("node-labels", 1, [("node", "n1"), .. labels]).Build();
        return reports[ReportKind.Node].Single("node", "n1")["node_labels"];
    }

    [Fact]
    public void Build_NodeLabels_PrefixKeptNameColonValueJoinedWithPipe()
    {
        NodeLabels(("label_kubernetes_io_hostname", "n1"), ("label_node_role_kubernetes_io_worker", ""))
            .ShouldBe("label_kubernetes_io_hostname:n1|label_node_role_kubernetes_io_worker:");
    }

    [Fact]
    public void Build_LabelNamesThatArePrefixesOfEachOther_SortedAsWholeStringsOrdinally()
    {
        // "label_a1:x" < "label_a:y" because '1' (0x31) < ':' (0x3A); sorting by name would give the opposite.
        NodeLabels(("label_a", "y"), ("label_a1", "x")).ShouldBe("label_a1:x|label_a:y");
    }

    [Fact]
    public void Build_UpperAndLowerCaseValues_OrdinalNotCultureOrder()
    {
        // Ordinal: 'B' (0x42) < '_' (0x5F) < 'a' (0x61).
        NodeLabels(("label_a", "1"), ("label_B", "2"), ("label__z", "3")).ShouldBe("label_B:2|label__z:3|label_a:1");
    }

    [Fact]
    public void Build_LabelInTheMiddleOfAName_UnanchoredRegexMatches()
    {
        // `label_*` = "label" followed by zero or more '_', anywhere in the name.
        NodeLabels(("xlabely", "1"), ("label_app", "a"), ("mylabel", "2"), ("lab", "no"), ("Label_upper", "no"))
            .ShouldBe("label_app:a|mylabel:2|xlabely:1");
    }

    [Fact]
    public void Build_NoMatchingLabel_EmptyColumn()
    {
        NodeLabels(("instance", "10.0.0.1:8443"), ("job", "kube-state-metrics")).ShouldBe("");
    }

    [Fact]
    public void Build_ValuesWithSpecialCharacters_CopiedVerbatim()
    {
        NodeLabels(("label_topology_kubernetes_io_zone", "us-east-1a"), ("label_url", "http://x/y?a=b"))
            .ShouldBe("label_topology_kubernetes_io_zone:us-east-1a|label_url:http://x/y?a=b");
    }

    [Fact]
    public void Build_PodNamespaceVmLabels_SameRulesInEveryLabelColumn()
    {
        var f = new ReportFixture(Hour)
            .Cost("node-labels", 1, ("node", "n1"))
            .Cost("pod-labels", 1, ("label_a", "y"), ("label_a1", "x"), ("namespace", "ns"), ("pod", "p"), ("xlabely", "1"))
            .Cost("namespace-labels", 1, ("label_a", "y"), ("label_a1", "x"), ("namespace", "ns"))
            .Cost("vm_labels", 1, ("label_a", "y"), ("label_a1", "x"), ("name", "vm"), ("namespace", "ns"));

        var reports = f.Build();

        reports[ReportKind.Pod].Single("pod", "p")["pod_labels"].ShouldBe("label_a1:x|label_a:y|xlabely:1");
        reports[ReportKind.Namespace].Single("namespace", "ns")["namespace_labels"].ShouldBe("label_a1:x|label_a:y");
        reports[ReportKind.VirtualMachine].Single("vm_name", "vm")["vm_labels"].ShouldBe("label_a1:x|label_a:y");
    }

    [Fact]
    public void Build_LaterLabelSeriesForSameNode_LastLabelStringWins()
    {
        var f = new ReportFixture(Hour)
            .Cost("node-labels", 1, ("label_version", "1"), ("node", "n1"))
            .Cost("node-labels", 1, ("label_version", "2"), ("node", "n1"));

        f.Build()[ReportKind.Node].Single("node", "n1")["node_labels"].ShouldBe("label_version:2");
    }
}
