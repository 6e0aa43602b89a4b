using ThanosBridge.Core.Reports;

namespace ThanosBridge.Core.Tests.Reports;

/// <summary>
/// How samples become hourly values (cmmo-output.md §1.4 with Bridge decision g) and how they are formatted (§3.4):
/// sum → Σ × step, max → max × step × n, F6 with half-even ties, Go spellings of NaN and the infinities.
/// </summary>
public class ValueMethodTests
{
    private static readonly DateTimeOffset Hour = new(2026, 8, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly (string, string)[] Pod = [("namespace", "ns1"), ("node", "n1"), ("pod", "p1")];
    private static readonly (string, string)[] Node = [("node", "n1"), ("provider_id", "aws:///us-east-1a/i-1")];

    private static Dictionary<string, string> PodRow(ReportFixture fixture) =>
        fixture.Build()[ReportKind.Pod].Single("pod", "p1");

    [Fact]
    public void Build_SumQuery_SecondsAreSumOfSamplesTimesStep()
    {
        // 0, 0.25, 0.5, … 14.75: Σ = 0.25 × (0 + 1 + … + 59) = 0.25 × 1770 = 442.5; × 60 = 26550.
        var values = Enumerable.Range(0, 60).Select(i => i * 0.25).ToArray();
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1")).CostSamples("pod-usage-cpu-cores", values, Pod);

        PodRow(f)["pod_usage_cpu_core_seconds"].ShouldBe("26550.000000");
    }

    [Fact]
    public void Build_SumQueryWithVaryingSamples_IsNotMaxTimesCount()
    {
        // 1, 5, 2 at the first three minutes: Σ = 8 → 480; max × 60 × 3 would be 900.
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1")).CostSamples("pod-request-memory-bytes", [1, 5, 2], Pod);

        PodRow(f)["pod_request_memory_byte_seconds"].ShouldBe("480.000000");
    }

    [Fact]
    public void Build_MaxQueryPresentHalfAnHour_SecondsAreMaxTimesStepTimesSampleCount()
    {
        // Capacity series only from 10:30 to 10:59 (30 samples): 2, 4, 8, 4, 2, … → max 8; 8 × 60 × 30 = 14400.
        var values = Enumerable.Range(0, 30).Select(i => i == 2 ? 8.0 : i % 2 == 0 ? 2.0 : 4.0).ToArray();
        var f = new ReportFixture(Hour)
            .CostFrom("node-capacity-cpu-cores", 30, values, Node)
            .Cost("pod-usage-cpu-cores", 1, Pod);

        var row = PodRow(f);

        row["node_capacity_cpu_cores"].ShouldBe("8.000000");
        row["node_capacity_cpu_core_seconds"].ShouldBe("14400.000000");
    }

    [Fact]
    public void Build_MaxQueryWithThreeSamples_CountIsThePresentSamplesOnly()
    {
        // Three samples 1, 3, 2 scattered at minutes 0..2: max 3; 3 × 60 × 3 = 540 (cf. TestIterateMatrix).
        var f = new ReportFixture(Hour)
            .CostSamples("node-capacity-memory-bytes", [1, 3, 2], Node)
            .Cost("pod-usage-cpu-cores", 1, Pod);

        var row = PodRow(f);

        row["node_capacity_memory_bytes"].ShouldBe("3.000000");
        row["node_capacity_memory_byte_seconds"].ShouldBe("540.000000");
    }

    [Fact]
    public void Build_Step300Seconds_TwelvePointsPerHourAndSecondsUseTheStep()
    {
        var f = new ReportFixture(Hour, TimeSpan.FromSeconds(300));
        f.PointsPerHour.ShouldBe(12);
        f.Cost("node-capacity-cpu-cores", 4, Node)
            .Cost("pod-usage-cpu-cores", 2, Pod)
            .Cost("pod-limit-memory-bytes", 1.5, Pod);

        var row = PodRow(f);

        // Σ = 12 × 2 = 24 → × 300 = 7200; max 4 × 300 × 12 = 14400; Σ = 18 → × 300 = 5400.
        row["pod_usage_cpu_core_seconds"].ShouldBe("7200.000000");
        row["node_capacity_cpu_cores"].ShouldBe("4.000000");
        row["node_capacity_cpu_core_seconds"].ShouldBe("14400.000000");
        row["pod_limit_memory_byte_seconds"].ShouldBe("5400.000000");
    }

    [Fact]
    public void Build_Step300SecondsVmUptime_IsSamplesTimes300()
    {
        var f = new ReportFixture(Hour, TimeSpan.FromSeconds(300))
            .Cost("node-labels", 1, ("node", "n1"))
            .Cost("vm_info", 1, ("name", "vm1"), ("namespace", "ns1"));

        f.Build()[ReportKind.VirtualMachine].Single("vm_name", "vm1")["vm_uptime_total_seconds"].ShouldBe("3600.000000");
    }

    [Fact]
    public void Build_NaNSample_SumIsNaN()
    {
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1"))
            .CostSamples("pod-usage-memory-bytes", [1, double.NaN, 2], Pod);

        PodRow(f)["pod_usage_memory_byte_seconds"].ShouldBe("NaN");
    }

    [Fact]
    public void Build_PositiveInfinitySample_MaxAndSecondsArePlusInf()
    {
        var f = new ReportFixture(Hour)
            .CostSamples("node-capacity-cpu-cores", [1, double.PositiveInfinity, 3], Node)
            .Cost("pod-usage-cpu-cores", 1, Pod);

        var row = PodRow(f);

        row["node_capacity_cpu_cores"].ShouldBe("+Inf");
        row["node_capacity_cpu_core_seconds"].ShouldBe("+Inf");
    }

    [Fact]
    public void Build_NegativeInfinitySample_SumIsMinusInf()
    {
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1"))
            .CostSamples("pod-request-cpu-cores", [5, double.NegativeInfinity], Pod);

        PodRow(f)["pod_request_cpu_core_seconds"].ShouldBe("-Inf");
    }

    [Fact]
    public void Build_OnlyNegativeInfinitySamples_MaxIsMinusInf()
    {
        var f = new ReportFixture(Hour)
            .CostSamples("node-capacity-memory-bytes", [double.NegativeInfinity, double.NegativeInfinity], Node)
            .Cost("pod-usage-cpu-cores", 1, Pod);

        var row = PodRow(f);

        row["node_capacity_memory_bytes"].ShouldBe("-Inf");
        row["node_capacity_memory_byte_seconds"].ShouldBe("-Inf");
    }

    [Fact]
    public void Build_RosInstantSpecialValues_WrittenGoStyle()
    {
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1"))
            .Ros("ros-namespace-filter", 1, ("namespace", "ns1"))
            .Ros("cpu-usage-namespace-avg", double.NaN, ("namespace", "ns1"))
            .Ros("cpu-usage-namespace-max", double.PositiveInfinity, ("namespace", "ns1"))
            .Ros("cpu-usage-namespace-min", double.NegativeInfinity, ("namespace", "ns1"));

        var row = f.Build()[ReportKind.RosNamespace].Records()[0];

        row["cpu_usage_namespace_avg"].ShouldBe("NaN");
        row["cpu_usage_namespace_max"].ShouldBe("+Inf");
        row["cpu_usage_namespace_min"].ShouldBe("-Inf");
    }

    [Fact]
    public void Build_ExactTieValues_RoundHalfToEven()
    {
        // 0.0078125 and 0.0234375 are exact binary ties at the 7th decimal (§3.4): → 0.007812 and 0.023438.
        // Seconds: 0.0078125 × 60 × 1 = 0.46875; 0.0234375 × 60 × 1 = 1.40625 (exact, six decimals suffice).
        var f = new ReportFixture(Hour)
            .CostSamples("node-capacity-cpu-cores", [0.0078125], Node)
            .CostSamples("node-capacity-memory-bytes", [0.0234375], Node)
            .Cost("pod-usage-cpu-cores", 1, Pod);

        var row = PodRow(f);

        row["node_capacity_cpu_cores"].ShouldBe("0.007812");
        row["node_capacity_cpu_core_seconds"].ShouldBe("0.468750");
        row["node_capacity_memory_bytes"].ShouldBe("0.023438");
        row["node_capacity_memory_byte_seconds"].ShouldBe("1.406250");
    }

    [Fact]
    public void Build_RosInstantTieValue_RoundsHalfToEven()
    {
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1"))
            .Ros("ros-namespace-filter", 1, ("namespace", "ns1"))
            .Ros("memory-usage-namespace-avg", 0.0078125, ("namespace", "ns1"));

        f.Build()[ReportKind.RosNamespace].Records()[0]["memory_usage_namespace_avg"].ShouldBe("0.007812");
    }

    [Fact]
    public void Build_SumInResponseOrder_FloatingPointSumIsFormattedToSixDecimals()
    {
        // 0.1 + 0.2 = 0.30000000000000004; × 60 = 18.000000000000004 → 18.000000 (§3.4).
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1"))
            .CostSamples("pod-limit-cpu-cores", [0.1, 0.2], Pod);

        PodRow(f)["pod_limit_cpu_core_seconds"].ShouldBe("18.000000");
    }

    [Fact]
    public void Build_LargeValue_FixedNotationWithoutExponent()
    {
        // 1234567890 × 60 samples × 60 s = 4444444404000 (sum); capacity 1234567890 stays 1234567890.000000.
        var f = new ReportFixture(Hour)
            .Cost("node-capacity-memory-bytes", 1234567890, Node)
            .Cost("pod-usage-memory-bytes", 1234567890, Pod);

        var row = PodRow(f);

        row["node_capacity_memory_bytes"].ShouldBe("1234567890.000000");
        row["pod_usage_memory_byte_seconds"].ShouldBe("4444444404000.000000");
    }

    [Fact]
    public void Build_NegativeZeroMax_KeepsTheSign()
    {
        var f = new ReportFixture(Hour)
            .CostSamples("node-capacity-cpu-cores", [-0.0], Node)
            .Cost("pod-usage-cpu-cores", 1, Pod);

        var row = PodRow(f);

        row["node_capacity_cpu_cores"].ShouldBe("-0.000000");
        row["node_capacity_cpu_core_seconds"].ShouldBe("-0.000000");
    }

    [Fact]
    public void Build_ZeroValueAndMissingQuery_ZeroIsWrittenAndMissingIsEmpty()
    {
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1")).Cost("pod-usage-cpu-cores", 0, Pod);

        var row = PodRow(f);

        row["pod_usage_cpu_core_seconds"].ShouldBe("0.000000");
        row["pod_request_cpu_core_seconds"].ShouldBe("");
        row["pod_limit_cpu_core_seconds"].ShouldBe("");
        row["pod_usage_memory_byte_seconds"].ShouldBe("");
    }

    [Fact]
    public void Build_TwoHours_EachHourUsesOnlyItsOwnSamples()
    {
        var next = Hour.AddHours(1);
        var f = new ReportFixture(Hour)
            .Cost("node-labels", 1, ("node", "n1"))
            .Cost("pod-usage-cpu-cores", 1, Pod)
            .Cost("node-capacity-cpu-cores", 2, Node)
            .At(next)
            .Cost("node-labels", 1, ("node", "n1"))
            .CostSamples("pod-usage-cpu-cores", [3, 3], Pod)
            .CostSamples("node-capacity-cpu-cores", [5], Node);

        var rows = f.Build()[ReportKind.Pod].Records();

        rows.Count.ShouldBe(2);
        rows[0]["interval_start"].ShouldBe("2026-08-05 10:00:00 +0000 UTC");
        rows[0]["pod_usage_cpu_core_seconds"].ShouldBe("3600.000000");
        rows[0]["node_capacity_cpu_core_seconds"].ShouldBe("7200.000000");
        rows[1]["interval_start"].ShouldBe("2026-08-05 11:00:00 +0000 UTC");
        rows[1]["pod_usage_cpu_core_seconds"].ShouldBe("360.000000");
        rows[1]["node_capacity_cpu_cores"].ShouldBe("5.000000");
        rows[1]["node_capacity_cpu_core_seconds"].ShouldBe("300.000000");
    }

    [Theory]
    [InlineData(0.1234564567, "0.123456")]
    [InlineData(0.1234567890, "0.123457")]
    [InlineData(1234567890, "1234567890.000000")]
    [InlineData(59410582732800, "59410582732800.000000")]
    [InlineData(1e23, "99999999999999991611392.000000")]
    [InlineData(-1e-7, "-0.000000")]
    [InlineData(4e-7, "0.000000")]
    [InlineData(6e-7, "0.000001")]
    [InlineData(-2.5, "-2.500000")]
    public void Build_RosInstantValue_FormattedLikeGoFormatFloatF6(double value, string expected)
    {
        // ROS values are written as sampled, so the cell is exactly Go's strconv.FormatFloat(v, 'f', 6, 64) (§3.4).
        var f = new ReportFixture(Hour).Cost("node-labels", 1, ("node", "n1"))
            .RosWindows("ros-namespace-filter", [(1, 1)], ("namespace", "ns1"))
            .RosWindows("cpu-request-namespace-sum", [(1, value)], ("namespace", "ns1"));

        f.Build()[ReportKind.RosNamespace].Single("namespace", "ns1")["cpu_request_namespace_sum"].ShouldBe(expected);
    }
}
