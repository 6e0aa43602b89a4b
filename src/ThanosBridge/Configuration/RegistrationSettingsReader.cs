using System.Text.RegularExpressions;
using ThanosBridge.Adapters.Koku;
using ThanosBridge.Adapters.Kubernetes;
using ThanosBridge.Core.Discovery;
using V = ThanosBridge.Configuration.BridgeVariables;

namespace ThanosBridge.Configuration;

/// <summary>Auto-registration's settings: the rules, the Kubernetes API the ManagedClusters are listed from, koku's sources API.</summary>
public sealed record RegistrationSettings(RegistrationOptions Rules, KubernetesOptions Kubernetes, KokuApiOptions KokuApi);

/// <summary>
/// Reads THANOS_BRIDGE_AUTO_REGISTER and what it needs: THANOS_BRIDGE_AUTO_REGISTER_DRY_RUN, _SELECTOR, _LOCAL_CLUSTER,
/// THANOS_BRIDGE_KOKU_API_URL, _ORG_ID, _ACCOUNT, _USERNAME, THANOS_BRIDGE_KUBERNETES_API_URL and _TOKEN. Off by default;
/// the others are rejected while it is off (they would be ignored).
/// </summary>
internal static partial class RegistrationSettingsReader
{
    private const string DefaultUsername = "thanos-bridge";

    public static RegistrationSettings? Read(VariableReader reader)
    {
        var enabled = reader.Bool(V.AutoRegister, defaultValue: false);
        var dryRun = reader.Bool(V.AutoRegisterDryRun, defaultValue: false);
        var selector = reader.Text(V.AutoRegisterSelector);
        var includeLocal = reader.Bool(V.AutoRegisterLocalCluster, defaultValue: false);
        var kokuUrl = reader.HttpUrl(V.KokuApiUrl);
        var orgId = reader.Text(V.KokuOrgId);
        var account = reader.Text(V.KokuAccount);
        var username = reader.Text(V.KokuUsername, DefaultUsername);
        var kubernetesUrl = reader.HttpUrl(V.KubernetesApiUrl);
        var token = reader.Text(V.KubernetesToken);
        if (!enabled)
        {
            var ignored = reader.SetAmong(V.AutoRegisterDryRun, V.AutoRegisterSelector, V.AutoRegisterLocalCluster, V.KokuApiUrl, V.KokuOrgId,
                V.KokuAccount, V.KokuUsername, V.KubernetesApiUrl, V.KubernetesToken);
            foreach (var name in ignored)
            {
                reader.Fail(name, $"{VariableReader.Show(name, reader.Raw(name)!)} is set, but THANOS_BRIDGE_AUTO_REGISTER is not true, so it would be ignored; " +
                                  "set THANOS_BRIDGE_AUTO_REGISTER=true or unset it");
            }

            return null;
        }

        if (selector is not null && !LabelSelector.IsValid(selector, out var invalidSelector))
        {
            reader.Fail(V.AutoRegisterSelector, $"{VariableReader.Quote(selector)} is not a Kubernetes label selector: {invalidSelector}");
        }

        if (kokuUrl is null && !reader.IsSet(V.KokuApiUrl))
        {
            reader.Fail(V.KokuApiUrl, "not set, but THANOS_BRIDGE_AUTO_REGISTER is true; set koku's API root, e.g. http://cost-onprem-koku-api:8000");
        }

        if (orgId is null)
        {
            reader.Fail(V.KokuOrgId, "not set, but THANOS_BRIDGE_AUTO_REGISTER is true; set the koku org the clusters are registered in");
        }
        else if (!DeliverySettingsReader.OrgId().IsMatch(orgId))
        {
            reader.Fail(V.KokuOrgId, $"{VariableReader.Quote(orgId)} is not an org id: 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'");
        }

        if (account is not null && !DeliverySettingsReader.OrgId().IsMatch(account))
        {
            reader.Fail(V.KokuAccount, $"{VariableReader.Quote(account)} is not an account number: 1-64 characters from A-Z, a-z, 0-9, '.', '_' and '-'");
        }

        if (!Username().IsMatch(username))
        {
            reader.Fail(V.KokuUsername, $"{VariableReader.Quote(username)} is not a user name: 1-150 characters from A-Z, a-z, 0-9, '.', '_', '@', '+' and '-'");
        }

        if (!reader.IsSet(V.DatabaseHost))
        {
            reader.Fail(V.AutoRegister, "true, but DATABASE_SERVICE_HOST is not set: the bridge reads koku's sources from its database to know which " +
                                        "clusters koku has, and delivers only for clusters discovered there");
        }

        if (token is not null && !reader.IsSet(V.KubernetesApiUrl))
        {
            reader.Fail(V.KubernetesToken, $"{BridgeVariables.Redacted} is set without THANOS_BRIDGE_KUBERNETES_API_URL; in a pod the service account's token is used");
        }
        else if (!reader.IsSet(V.KubernetesApiUrl) && !ManagedClusterLister.InCluster)
        {
            reader.Fail(V.KubernetesApiUrl,
                "not set, and the process does not run in a pod with a service-account token (KUBERNETES_SERVICE_HOST, " +
                "/var/run/secrets/kubernetes.io/serviceaccount/token); set it (e.g. http://127.0.0.1:8001 behind kubectl proxy), or deploy with the " +
                "chart's autoRegistration.enabled");
        }

        return orgId is null || kokuUrl is null
            ? null
            : new RegistrationSettings(
                new RegistrationOptions(orgId, username, includeLocal, dryRun),
                new KubernetesOptions { ApiUrl = kubernetesUrl, Token = token, LabelSelector = selector },
                new KokuApiOptions { BaseUrl = kokuUrl, OrgId = orgId, Account = account, Username = username });
    }

    [GeneratedRegex("^[A-Za-z0-9._@+-]{1,150}$")]
    private static partial Regex Username();
}
