using ThanosBridge.Core.Csv;
using static ThanosBridge.Core.Reports.ReportRows;

namespace ThanosBridge.Core.Reports;

/// <summary>Builds CMMO's virtual machine report, <c>cm-openshift-vm-usage-YYYYMM.csv</c>.</summary>
internal static class VirtualMachineReport
{
    public static void AddRows(CompactRows output, string[] interval, RowMap vms)
    {
        foreach (var (_, row) in vms.Ordered)
        {
            output.Add(CsvRow.Of(
            [
                .. interval, Get(row, "node"), ResourceId(Get(row, "provider_id")), Get(row, "namespace"), Get(row, "name"),
                Get(row, "instance_type"), Get(row, "os"), Get(row, "guest_os_arch"), Get(row, "guest_os_name"),
                Get(row, "guest_os_version_id"), Get(row, "vm_uptime_total_seconds"),
                Get(row, "vm_cpu_limit_cores"), Get(row, "vm_cpu_limit_core_seconds"),
                Get(row, "vm_cpu_request_cores"), Get(row, "vm_cpu_request_core_seconds"),
                Get(row, "vm_cpu_request_sockets"), Get(row, "vm_cpu_request_socket_seconds"),
                Get(row, "vm_cpu_request_threads"), Get(row, "vm_cpu_request_thread_seconds"),
                Get(row, "vm_cpu_usage_total_seconds"), Get(row, "vm_memory_limit_bytes"), Get(row, "vm_memory_limit_byte_seconds"),
                Get(row, "vm_memory_request_bytes"), Get(row, "vm_memory_request_byte_seconds"), Get(row, "vm_memory_usage_byte_seconds"),
                Get(row, "device"), Get(row, "volume_mode"), Get(row, "persistentvolumeclaim_name"),
                Get(row, "vm_disk_allocated_size_byte_seconds"), Get(row, "vm_labels"),
            ]));
        }
    }
}
