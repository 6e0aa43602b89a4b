using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Core.Tests.Collection.Promql;

/// <summary>
/// The query shapes of cmmo-output.md §2, written out here independently of the catalog. Each template marks by
/// hand where the cluster matcher must appear: «{}» (a bare name gains braces), «,» (after the last matcher) and
/// «» (into empty braces). The input is the template without the marks; the expected output fills them in.
/// </summary>
public class CmmoQueryShapesTests
{
    private const string NsfA = "kube_namespace_labels{label_insights_cost_management_optimizations='true', namespace!~'kube-.*|openshift|openshift-.*'«,»}";
    private const string NsfB = "kube_namespace_labels{label_cost_management_optimizations='true', namespace!~'kube-.*|openshift|openshift-.*'«,»}";
    private const string Run = "* on(pod, namespace) group_left max by (pod, namespace) (kube_pod_status_phase{phase='Running'«,»})";
    private const string ContainerFilter = "container!='', container!='POD', pod!=''«,»";

    public static TheoryData<string, string> Shapes => new()
    {
        {
            "node capacity join, trailing space",
            "kube_node_status_capacity{resource='cpu'«,»} * on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info«{}») "
        },
        { "node role literal", "kube_node_role«{}»" },
        {
            "pod limit with Running join",
            "sum by (pod, namespace, node) (kube_pod_container_resource_limits{pod!='', namespace!='', node!='', resource='cpu'«,»} " + Run + ")"
        },
        {
            "pod cpu usage rate",
            "sum by (pod, namespace, node) (rate(container_cpu_usage_seconds_total{container!='', container!='POD', pod!='', namespace!='', node!=''«,»}[15m]))"
        },
        { "pod labels", "kube_pod_labels{namespace!='',pod!=''«,»} " + Run },
        {
            "pvc request join",
            "kube_persistentvolumeclaim_resource_requests_storage_bytes«{}» * on(persistentvolumeclaim, namespace) group_left(volumename) max by(namespace, persistentvolumeclaim, volumename) (kube_persistentvolumeclaim_info{volumename != ''«,»})"
        },
        {
            "persistent volume labels",
            "kube_persistentvolume_labels«{}» * on(persistentvolume, namespace) group_left(storageclass, csi_driver, csi_volume_handle) max by(namespace, persistentvolume, storageclass, csi_driver, csi_volume_handle) (kube_persistentvolume_info«{}»)"
        },
        {
            "VM limit with running-VMI join",
            "sum by (name, namespace) (kubevirt_vm_resource_limits{name!='', namespace!='', resource='cpu'«,»}) * on (name, namespace) group_left max by (name, namespace) (kubevirt_vmi_info{phase='running'«,»})"
        },
        {
            "VM memory usage sum_over_time",
            "sum by (name, namespace) (sum_over_time(kubevirt_vmi_memory_used_bytes{name!='', namespace!=''«,»}[15m])) * on (name, namespace) group_left max by (name, namespace) (kubevirt_vmi_info{phase='running'«,»})"
        },
        {
            "VM info with provider join",
            "sum by (name, namespace, node, os, instance_type, guest_os_name, guest_os_version_id, guest_os_arch) (kubevirt_vmi_info{phase='running'«,»}) * on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info«{}»)"
        },
        {
            "GPU utilization, or branches with label_replace",
            "sum by (exported_pod, exported_namespace, Hostname, UUID, modelName, GPU_I_ID, GPU_I_PROFILE, device) ("
            + "(DCGM_FI_PROF_GR_ENGINE_ACTIVE{UUID!='', exported_namespace!=''«,»} * on(exported_pod, exported_namespace) group_left max by (exported_pod, exported_namespace) "
            + "(label_replace(label_replace(kube_pod_status_phase{phase='Running'«,»}, 'exported_pod', '$1', 'pod', '(.*)'), 'exported_namespace', '$1', 'namespace', '(.*)'))) "
            + "or label_replace(label_replace(DCGM_FI_PROF_GR_ENGINE_ACTIVE{UUID!='', exported_namespace=''«,»} " + Run + ", 'exported_pod', '$1', 'pod', '(.*)'), 'exported_namespace', '$1', 'namespace', '(.*)'))"
        },
        {
            "GPU uptime with clamp_max",
            "sum by (exported_pod, exported_namespace, Hostname, UUID) (clamp_max(DCGM_FI_PROF_GR_ENGINE_ACTIVE{UUID!=''«,»} + 1, 1))"
        },
        {
            "non-MIG capacity with node labels join",
            "sum by (pod, namespace, node, label_nvidia_com_gpu_memory) ((kube_pod_container_resource_requests{pod!='', namespace!='', node!='', resource='nvidia_com_gpu'«,»} " + Run
            + ") * on(node) group_left(label_nvidia_com_gpu_memory) (max by (node, label_nvidia_com_gpu_memory) (kube_node_labels«{}»)))"
        },
        { "ROS gate", NsfA + " or " + NsfB },
        {
            "ROS image owners",
            "((max_over_time(kube_pod_container_info{container!='', container!='POD'«,»}[15m]) * on(namespace) group_left " + NsfA + ") or "
            + "(max_over_time(kube_pod_container_info{container!='', container!='POD'«,»}[15m]) * on(namespace) group_left " + NsfB + ")) "
            + "* on(pod, namespace) group_left(owner_kind, owner_name) max by(pod, namespace, owner_kind, owner_name) (max_over_time(kube_pod_owner{" + ContainerFilter + "}[15m]))"
        },
        {
            "ROS request template",
            "((avg by(container, pod, namespace, node) (kube_pod_container_resource_requests{" + ContainerFilter.Replace("«,»", "", StringComparison.Ordinal) + ", resource='cpu', unit='core'«,»} * on(namespace) group_left " + NsfA + ")) or "
            + "(avg by(container, pod, namespace, node) (kube_pod_container_resource_requests{" + ContainerFilter.Replace("«,»", "", StringComparison.Ordinal) + ", resource='cpu', unit='core'«,»} * on(namespace) group_left " + NsfB + "))) "
            + "* on(pod, namespace) group_left max by (container, pod, namespace) (kube_pod_status_phase{phase='Running'«,»})"
        },
        {
            "ROS usage template, sum of averages",
            "(sum by(container, pod, namespace, node) (avg_over_time(node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{" + ContainerFilter + "}[15m]) * on(namespace) group_left " + NsfA + ")) or "
            + "(sum by(container, pod, namespace, node) (avg_over_time(node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{" + ContainerFilter + "}[15m]) * on(namespace) group_left " + NsfB + "))"
        },
        {
            "ROS accelerator with label_replace join",
            "max by (modelName, exported_container, exported_namespace, exported_pod, Hostname) (max_over_time(DCGM_FI_DEV_GPU_UTIL{exported_namespace != '', exported_container != '', exported_pod != ''«,»}[15m])) "
            + "* on(exported_namespace) group_left(namespace) label_replace(kube_namespace_labels{label_insights_cost_management_optimizations='true'«,»}, 'exported_namespace', '$1', 'namespace', '(.*)') "
            + "or max by (modelName, exported_container, exported_namespace, exported_pod, Hostname) (max_over_time(DCGM_FI_DEV_GPU_UTIL{exported_namespace != '', exported_container != '', exported_pod != ''«,»}[15m])) "
            + "* on(exported_namespace) group_left(namespace) label_replace(kube_namespace_labels{label_cost_management_optimizations='true'«,»}, 'exported_namespace', '$1', 'namespace', '(.*)')"
        },
        {
            "ROS namespace quota",
            "(sum by (namespace) (kube_resourcequota{ resource='requests.memory', type='hard'«,»}) * on(namespace) group_left " + NsfA
            + " or sum by (namespace) (kube_resourcequota{ resource='requests.memory', type='hard'«,»}) * on(namespace) group_left " + NsfB + ")"
        },
        {
            "ROS namespace subquery",
            "(max_over_time(sum by(namespace) (node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{" + ContainerFilter + "})[15m:]) * on(namespace) group_left " + NsfA
            + " or max_over_time(sum by(namespace) (node_namespace_pod_container:container_cpu_usage_seconds_total:sum_irate{" + ContainerFilter + "})[15m:]) * on(namespace) group_left " + NsfB + ")"
        },
        {
            "ROS namespace throttle, rate inside subquery",
            "(avg_over_time(sum by(namespace) (rate(container_cpu_cfs_throttled_seconds_total{" + ContainerFilter + "}[15m]))[15m:]) * on(namespace) group_left " + NsfA
            + " or avg_over_time(sum by(namespace) (rate(container_cpu_cfs_throttled_seconds_total{" + ContainerFilter + "}[15m]))[15m:]) * on(namespace) group_left " + NsfB + ")"
        },
        { "ROS pods total", "(max_over_time(sum by(namespace) (kube_pod_info«{}»)[15m:]) * on(namespace) group_left " + NsfA + " or max_over_time(sum by(namespace) (kube_pod_info«{}»)[15m:]) * on(namespace) group_left " + NsfB + ")" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Inject_CmmoQuery_AddsClusterMatcherToEverySelectorExactly(string shape, string template)
    {
        var (input, expected, marks) = Expand(template, "clusterID=\"c1\"");

        var rewritten = ClusterLabelInjector.Inject(input, "clusterID", ClusterId.Parse("c1"));

        rewritten.ShouldBe(expected, shape);
        PromqlParser.Parse(input).DescendantsAndSelf().OfType<VectorSelector>().Count().ShouldBe(marks, shape);
    }

    [Fact]
    public void Inject_NodeCapacityQuery_KeepsTrailingSpace()
    {
        const string query = "kube_node_status_capacity{resource='cpu'} * on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info) ";

        ClusterLabelInjector.Inject(query, "clusterID", ClusterId.Parse("alpha")).ShouldBe(
            "kube_node_status_capacity{resource='cpu',clusterID=\"alpha\"} * on(node) group_left(provider_id) max by (node, provider_id) (kube_node_info{clusterID=\"alpha\"}) ");
    }

    internal static (string Input, string Expected, int Marks) Expand(string template, string matcher)
    {
        var marks = CountOf(template, "«");
        var input = template.Replace("«{}»", "", StringComparison.Ordinal).Replace("«,»", "", StringComparison.Ordinal).Replace("«»", "", StringComparison.Ordinal);
        var expected = template
            .Replace("«{}»", "{" + matcher + "}", StringComparison.Ordinal)
            .Replace("«,»", "," + matcher, StringComparison.Ordinal)
            .Replace("«»", matcher, StringComparison.Ordinal);
        return (input, expected, marks);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}
