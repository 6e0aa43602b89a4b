using System.Globalization;
using ThanosBridge.Core.Csv;
using ThanosBridge.Core.Reports;

namespace ThanosBridge.TestSupport.Koku;

/// <summary>
/// Small, valid report tables for one UTC day, for tests that need a payload to package. Values are plausible
/// hourly numbers (a pod using 0.5 core for an hour = 1800 core-seconds); cells are written literally so these
/// tables do not depend on the production formatting code.
/// </summary>
public static class SampleReportTables
{
    /// <summary>The six cost tables for <paramref name="hours"/> hours from 00:00 of <paramref name="day"/>, plus both ROS tables if asked.</summary>
    public static IReadOnlyList<CsvTable> ForDay(DateTimeOffset day, int hours, bool includeRos = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hours, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hours, 24);
        var start = new DateTimeOffset(day.UtcDateTime.Date, TimeSpan.Zero);
        var hourStarts = Enumerable.Range(0, hours).Select(h => start.AddHours(h)).ToList();

        var tables = new List<CsvTable>
        {
            Table(ReportKind.Node, start, KokuCsvSchemas.NodeHeader, hourStarts.SelectMany(h => new[]
            {
                Row(h, "ip-10-0-1-1.ec2.internal", "label_kubernetes_io_hostname:ip-10-0-1-1|label_node_role_kubernetes_io_worker:"),
                Row(h, "ip-10-0-1-2.ec2.internal", "label_kubernetes_io_hostname:ip-10-0-1-2|label_node_role_kubernetes_io_master:"),
            })),
            Table(ReportKind.Namespace, start, KokuCsvSchemas.NamespaceHeader, hourStarts.Select(h =>
                Row(h, "openshift-monitoring", "label_kubernetes_io_metadata_name:openshift-monitoring"))),
            Table(ReportKind.Pod, start, KokuCsvSchemas.PodHeader, hourStarts.SelectMany(h => new[]
            {
                Row(h, "ip-10-0-1-1.ec2.internal", "openshift-monitoring", "prometheus-k8s-0", "1800.000000", "720.000000", "",
                    "3865470566400.000000", "3865470566400.000000", "", "4.000000", "14400.000000", "16777216000.000000",
                    "60397977600000.000000", "worker", "i-0eb3a4cb7807fb144", "label_app:prometheus|label_prometheus:k8s"),
                Row(h, "ip-10-0-1-2.ec2.internal", "openshift-monitoring", "alertmanager-main-0", "36.500000", "360.000000", "720.000000",
                    "966367641600.000000", "966367641600.000000", "1932735283200.000000", "8.000000", "28800.000000", "33554432000.000000",
                    "120795955200000.000000", "master", "i-0eb3a4cb7807fb145", ""),
            })),
            Table(ReportKind.Storage, start, KokuCsvSchemas.StorageHeader, hourStarts.Select(h =>
                Row(h, "openshift-monitoring", "prometheus-k8s-0", "ip-10-0-1-1.ec2.internal", "prometheus-data-prometheus-k8s-0",
                    "pvc-0d1c2b3a", "gp3-csi", "ebs.csi.aws.com", "vol-0abc", "107374182400.000000", "386547056640000.000000",
                    "386547056640000.000000", "38654705664000.000000", "", "label_app:prometheus"))),
            Table(ReportKind.VirtualMachine, start, KokuCsvSchemas.VmHeader, hourStarts.Select(h =>
                Row(h, "ip-10-0-1-1.ec2.internal", "i-0eb3a4cb7807fb144", "vms", "rhel9-a", "u1.medium", "linux", "amd64",
                    "Red Hat Enterprise Linux", "9.4", "3600.000000", "2.000000", "7200.000000", "1.000000", "3600.000000",
                    "1.000000", "3600.000000", "1.000000", "3600.000000", "720.250000", "4294967296.000000",
                    "15461882265600.000000", "4294967296.000000", "15461882265600.000000", "7730941132800.000000", "rootdisk",
                    "Block", "rhel9-a-rootdisk", "115964116992000.000000", "label_kubevirt_io_domain:rhel9-a"))),
            Table(ReportKind.NvidiaGpu, start, KokuCsvSchemas.GpuHeader, hourStarts.Select(h =>
                Row(h, "ip-10-0-1-1.ec2.internal", "ai", "trainer-0", "GPU-1c2d3e4f", "Tesla T4", "nvidia0", "15360",
                    "3600.000000", "", "", "", ""))),
        };

        if (includeRos)
        {
            tables.Add(Table(ReportKind.RosContainer, start, KokuCsvSchemas.RosContainerHeader, hourStarts.SelectMany(RosWindows).Select(w =>
                RosRow(w, ["api", "api-7d9f-abcde", "api-7d9f", "ReplicaSet", "api", "deployment", "shop", "quay.io/shop/api:1.2",
                    "ip-10-0-1-1.ec2.internal", "i-0eb3a4cb7807fb144"], 24, ["", ""], 9))));
            tables.Add(Table(ReportKind.RosNamespace, start, KokuCsvSchemas.RosNamespaceHeader, hourStarts.SelectMany(RosWindows).Select(w =>
                RosRow(w, ["shop"], 20, [], 0))));
        }

        return tables;
    }

    private static CsvTable Table(ReportKind kind, DateTimeOffset day, IReadOnlyList<string> header, IEnumerable<string[]> rows) =>
        new(kind, kind.FileName(day), header, [.. rows]);

    /// <summary>A cost row for the hour starting at <paramref name="hour"/>.</summary>
    private static string[] Row(DateTimeOffset hour, params string[] values) =>
        [.. Period(hour), Time(hour), Time(hour.AddMinutes(59).AddSeconds(59)), .. values];

    /// <summary>CMMO's four ROS windows of an hour: HH:00:01–HH:15:00 … HH:45:01–(HH+1):00:00.</summary>
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> RosWindows(DateTimeOffset hour) =>
        Enumerable.Range(0, 4).Select(q => (hour.AddMinutes(15 * q).AddSeconds(1), hour.AddMinutes(15 * (q + 1))));

    private static string[] RosRow((DateTimeOffset Start, DateTimeOffset End) w, string[] names, int metrics, string[] accelerator, int acceleratorMetrics) =>
    [
        .. Period(w.Start), Time(w.Start), Time(w.End), .. names,
        .. Enumerable.Range(1, metrics).Select(i => (i * 0.25).ToString("F6", CultureInfo.InvariantCulture)),
        .. accelerator, .. Enumerable.Repeat(string.Empty, acceleratorMetrics),
    ];

    private static string[] Period(DateTimeOffset t)
    {
        var month = new DateTimeOffset(t.Year, t.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return [Time(month), Time(month.AddMonths(1))];
    }

    private static string Time(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0000 UTC";
}
