namespace ThanosBridge.Core.Reports;

/// <summary>The eight CSV reports CMMO writes (cmmo-output.md §3.1).</summary>
public enum ReportKind
{
    Node,
    Pod,
    Storage,
    VirtualMachine,
    Namespace,
    NvidiaGpu,
    RosContainer,
    RosNamespace,
}

public static class ReportKindExtensions
{
    /// <summary>CMMO's file name without the month suffix, e.g. <c>cm-openshift-pod-usage</c>.</summary>
    public static string FileStem(this ReportKind kind) => kind switch
    {
        ReportKind.Node => "cm-openshift-node-usage",
        ReportKind.Pod => "cm-openshift-pod-usage",
        ReportKind.Storage => "cm-openshift-storage-usage",
        ReportKind.VirtualMachine => "cm-openshift-vm-usage",
        ReportKind.Namespace => "cm-openshift-namespace-usage",
        ReportKind.NvidiaGpu => "cm-openshift-nvidia-gpu-usage",
        ReportKind.RosContainer => "ros-openshift-container",
        ReportKind.RosNamespace => "ros-openshift-namespace",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>ROS files go to <c>resource_optimization_files</c>, all others to <c>files</c>.</summary>
    public static bool IsResourceOptimization(this ReportKind kind) =>
        kind is ReportKind.RosContainer or ReportKind.RosNamespace;

    /// <summary>CMMO's file name for a month, e.g. <c>cm-openshift-pod-usage-202611.csv</c>.</summary>
    public static string FileName(this ReportKind kind, DateTimeOffset month) =>
        $"{kind.FileStem()}-{month.UtcDateTime:yyyyMM}.csv";
}
