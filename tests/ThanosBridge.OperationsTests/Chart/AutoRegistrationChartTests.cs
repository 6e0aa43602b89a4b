using System.Text.RegularExpressions;
using ThanosBridge.Configuration;

namespace ThanosBridge.OperationsTests.Chart;

/// <summary>
/// The chart's auto-registration (autoRegistration.*): a read-only ClusterRole on ManagedClusters and its binding to the
/// bridge's ServiceAccount, the token mounted and the variables set, all only when autoRegistration.enabled is set.
/// </summary>
public sealed partial class AutoRegistrationChartTests
{
    private const string Switch = "{{- if .Values.autoRegistration.enabled }}";

    private static string Deployment => ChartFiles.Text("templates/deployment.yaml");

    [Theory]
    [InlineData("clusterrole.yaml")]
    [InlineData("clusterrolebinding.yaml")]
    public void RbacObject_IsRenderedOnlyWhenEnabled_WhichIsOffByDefault(string file)
    {
        var lines = ChartFiles.Text("templates/" + file).TrimEnd().Split('\n');

        lines[0].ShouldBe(Switch);
        lines[^1].ShouldBe("{{- end }}");
        ChartFiles.ValueAt(ChartFiles.Values(), "autoRegistration.enabled").ShouldBe(false);
    }

    [Fact]
    public void ClusterRole_GrantsGetListWatchOnManagedClusters_AndNothingElse()
    {
        var role = Manifest("clusterrole.yaml");

        role["apiVersion"].ShouldBe("rbac.authorization.k8s.io/v1");
        role["kind"].ShouldBe("ClusterRole");
        var rule = ((List<object?>)role["rules"]!).ShouldHaveSingleItem().ShouldBeOfType<Dictionary<string, object?>>();
        rule["apiGroups"].ShouldBe(new List<object?> { "cluster.open-cluster-management.io" });
        rule["resources"].ShouldBe(new List<object?> { "managedclusters" });
        rule["verbs"].ShouldBe(new List<object?> { "get", "list", "watch" });
        rule.Keys.ShouldBe(["apiGroups", "resources", "verbs"], ignoreOrder: true);
    }

    [Fact]
    public void ClusterRoleBinding_BindsThatRole_ToTheBridgesServiceAccountInTheReleaseNamespace()
    {
        var text = ChartFiles.Text("templates/clusterrolebinding.yaml");
        var binding = Manifest("clusterrolebinding.yaml");

        binding["kind"].ShouldBe("ClusterRoleBinding");
        ChartFiles.ValueAt(binding, "roleRef.kind").ShouldBe("ClusterRole");
        ChartFiles.ValueAt(binding, "roleRef.apiGroup").ShouldBe("rbac.authorization.k8s.io");
        var subject = ((List<object?>)binding["subjects"]!).ShouldHaveSingleItem().ShouldBeOfType<Dictionary<string, object?>>();
        subject["kind"].ShouldBe("ServiceAccount");
        text.ShouldContain("    name: {{ include \"thanos-bridge.serviceAccountName\" . }}\n    namespace: {{ .Release.Namespace }}\n");
        Regex.Count(text, Regex.Escape("name: {{ include \"thanos-bridge.clusterRoleName\" . }}")).ShouldBe(2, "the binding and its roleRef name the ClusterRole");
        ChartFiles.Text("templates/clusterrole.yaml").ShouldContain("  name: {{ include \"thanos-bridge.clusterRoleName\" . }}\n");
    }

    [Fact]
    public void ClusterRoleName_CarriesTheReleaseNamespace_BecauseItIsClusterScoped()
    {
        ChartFiles.Define(ChartFiles.Text("templates/_helpers.tpl"), "thanos-bridge.clusterRoleName")
            .ShouldContain("printf \"%s-%s-managedclusters\" .Release.Namespace (include \"thanos-bridge.fullname\" .)");
    }

    [Fact]
    public void Deployment_SetsTheRegistrationVariables_OnlyInsideTheSwitch()
    {
        var block = SwitchedBlocks(Deployment).First(b => b.Contains("THANOS_BRIDGE_AUTO_REGISTER", StringComparison.Ordinal));
        string[] expected =
        [
            BridgeVariables.AutoRegister, BridgeVariables.AutoRegisterDryRun, BridgeVariables.AutoRegisterSelector,
            BridgeVariables.AutoRegisterLocalCluster, BridgeVariables.KokuApiUrl, BridgeVariables.KokuOrgId, BridgeVariables.KokuAccount,
            BridgeVariables.KokuUsername,
        ];

        expected.ShouldAllBe(v => block.Contains($"- name: {v}\n", StringComparison.Ordinal));
        Deployment.Replace(block, "", StringComparison.Ordinal).ShouldNotContain("THANOS_BRIDGE_AUTO_REGISTER");
        Deployment.Replace(block, "", StringComparison.Ordinal).ShouldNotContain("THANOS_BRIDGE_KOKU_");
        block.ShouldContain("value: {{ .Values.autoRegistration.kokuApiUrl | quote }}");
        block.ShouldContain("value: {{ .Values.autoRegistration.orgId | quote }}");
    }

    [Fact]
    public void Deployment_MountsTheServiceAccountToken_ReadOnly_OnlyWhenEnabled_WhileAutomountingStaysOff()
    {
        var blocks = SwitchedBlocks(Deployment);
        var mount = blocks.Single(b => b.Contains("- name: kube-api-access\n              mountPath:", StringComparison.Ordinal));
        var volume = blocks.Single(b => b.Contains("- name: kube-api-access\n          projected:", StringComparison.Ordinal));

        mount.ShouldContain("mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n              readOnly: true");
        volume.ShouldContain("- serviceAccountToken:\n                  path: token");
        volume.ShouldContain("name: kube-root-ca.crt");
        volume.ShouldContain("fieldPath: metadata.namespace");
        Regex.Count(Deployment, "kube-api-access").ShouldBe(2);
        Deployment.ShouldContain("\n      automountServiceAccountToken: false\n");
    }

    [Fact]
    public void NetworkPolicy_OpensTheKubernetesAndKokuApis_OnlyWhenEnabled()
    {
        var block = SwitchedBlocks(ChartFiles.Text("templates/networkpolicy.yaml")).ShouldHaveSingleItem();

        block.ShouldContain(".Values.networkPolicy.egress.kubernetesApi.to");
        block.ShouldContain(".Values.networkPolicy.egress.kokuApi.to");
        var values = ChartFiles.Values();
        ChartFiles.ValueAt(values, "networkPolicy.egress.kokuApi.ports").ShouldBe(new List<object?> { 8000L });
        var peer = ((List<object?>)ChartFiles.ValueAt(values, "networkPolicy.egress.kokuApi.to")!).ShouldHaveSingleItem()
            .ShouldBeOfType<Dictionary<string, object?>>();
        ChartFiles.ValueAt(peer, "podSelector.matchLabels").ShouldBeOfType<Dictionary<string, object?>>()
            .ShouldBe(new Dictionary<string, object?> { ["app.kubernetes.io/component"] = "cost-management-api" });
    }

    [Theory]
    [InlineData("required \"autoRegistration.kokuApiUrl is required with autoRegistration.enabled")]
    [InlineData("required \"autoRegistration.orgId is required with autoRegistration.enabled")]
    [InlineData("fail \"autoRegistration.enabled needs database.host")]
    public void Validate_RefusesToRenderAnIncompleteRegistration(string rule)
    {
        var helpers = ChartFiles.Text("templates/_helpers.tpl");
        var validate = helpers[helpers.IndexOf("{{- define \"thanos-bridge.validate\" -}}", StringComparison.Ordinal)..];
        validate = validate[..validate.IndexOf("{{- define ", 1, StringComparison.Ordinal)];
        var enabled = validate.IndexOf("{{- if .Values.autoRegistration.enabled -}}", StringComparison.Ordinal);

        enabled.ShouldBeGreaterThan(-1);
        validate.IndexOf(rule, StringComparison.Ordinal).ShouldBeGreaterThan(enabled);
    }

    [Fact]
    public void FullScenario_EnablesRegistrationWithWhatItNeeds()
    {
        var full = ChartFiles.Merge(ChartFiles.Values(), ChartFiles.LoadYamlMapping("ci/full-values.yaml"));

        ChartFiles.ValueAt(full, "autoRegistration.enabled").ShouldBe(true);
        ChartFiles.ValueAt(full, "autoRegistration.kokuApiUrl").ShouldBeOfType<string>().ShouldStartWith("http://");
        ChartFiles.ValueAt(full, "autoRegistration.orgId").ShouldBeOfType<string>().ShouldNotBeEmpty();
        ChartFiles.ValueAt(full, "database.host").ShouldBeOfType<string>().ShouldNotBeEmpty();
    }

    /// <summary>A template's one object with the template actions blanked out, parsed (labels and names become null or "x").</summary>
    private static Dictionary<string, object?> Manifest(string file) => ChartFiles.Objects(file).ShouldHaveSingleItem();

    /// <summary>The text from each <see cref="Switch"/> up to its own <c>{{- end }}</c> (nested if, with and range blocks skipped).</summary>
    private static List<string> SwitchedBlocks(string template)
    {
        var blocks = new List<string>();
        for (var at = template.IndexOf(Switch, StringComparison.Ordinal); at >= 0; at = template.IndexOf(Switch, at + 1, StringComparison.Ordinal))
        {
            var depth = 0;
            var end = at + Switch.Length;
            foreach (Match action in Action().Matches(template[end..]))
            {
                if (action.Groups[1].Value != "end")
                {
                    depth++;
                }
                else if (depth-- == 0)
                {
                    blocks.Add(template[at..(end + action.Index)]);
                    break;
                }
            }
        }

        return blocks;
    }

    [GeneratedRegex(@"\{\{-? (if|with|end|range)[^}]*\}\}")]
    private static partial Regex Action();
}
