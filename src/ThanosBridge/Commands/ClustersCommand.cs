using Microsoft.Extensions.DependencyInjection;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Ledger;
using ThanosBridge.Core.Planning;
using ThanosBridge.Hosting;

namespace ThanosBridge.Commands;

/// <summary>
/// <c>clusters [--register [--dry-run]]</c>: what discovery sees: delivered clusters, skipped ones with the reason,
/// unregistered ones. With <c>--register</c>, auto-registration runs first and its outcome is listed per ManagedCluster
/// (with <c>--dry-run</c> nothing is sent to koku); the discovery that follows shows what koku has right after it.
/// </summary>
internal static class ClustersCommand
{
    public static readonly IReadOnlyCollection<string> Options = ["register", "dry-run"];

    public static async Task<int> RunAsync(CommandArguments args, BridgeSettings settings, TextWriter stdout, TimeProvider time, CancellationToken cancellationToken)
    {
        var register = args.Flag("register");
        if (args.Flag("dry-run") && !register)
        {
            throw new UsageException("clusters: --dry-run goes with --register");
        }

        if (register && settings.Registration is null)
        {
            throw new ConfigurationException(BridgeVariables.AutoRegister,
                "not true, but clusters --register uses auto-registration's settings (THANOS_BRIDGE_KOKU_API_URL, THANOS_BRIDGE_KOKU_ORG_ID, ...); set it to true");
        }

        // Discovery and Thanos, and the ledger read-only for koku's confirmations (never created or migrated here).
        await using var services = CommandServices.Build(settings, time);
        var registered = true;
        if (register)
        {
            var report = await services.GetRequiredService<ClusterRegistrar>().RunAsync(args.Flag("dry-run"), cancellationToken);
            await RegistrationReportPrinter.PrintAsync(report, settings.Registration!, stdout);
            registered = report.Succeeded;
        }

        var discovery = await services.GetRequiredService<IClusterSource>().DiscoverAsync(cancellationToken);
        await stdout.WriteLineAsync($"source: {(settings.Database is null ? "THANOS_BRIDGE_CLUSTERS" : $"koku database {settings.Database.Database} on {settings.Database.Host}:{settings.Database.Port}")}");
        foreach (var c in discovery.Clusters.OrderBy(c => c.ClusterId.Value, StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync(
                $"deliver  {c.ClusterId}  org {c.OrgId}  account {c.Account ?? "-"}  source {c.SourceId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}  " +
                $"provider {c.ProviderUuid?.ToString() ?? "-"}  schema {c.Schema ?? "-"}  {c.Alias}");
        }

        foreach (var s in discovery.Skipped.OrderBy(s => s.ClusterId, StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync($"skip     {s.ClusterId}  {s.Reason}: {s.Detail}");
        }

        var known = discovery.Clusters.Select(c => c.ClusterId.Value).Concat(discovery.Skipped.Select(s => s.ClusterId)).ToHashSet(StringComparer.Ordinal);
        try
        {
            foreach (var id in (await services.GetRequiredService<IThanosQueryClient>().LabelValuesAsync(settings.Delivery.ClusterLabel, cancellationToken)).Where(id => !known.Contains(id)).Order(StringComparer.Ordinal))
            {
                await stdout.WriteLineAsync($"unregistered  {id}  sends metrics to Thanos but has no koku source");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stdout.WriteLineAsync($"(could not list {settings.Delivery.ClusterLabel} values in Thanos: {ErrorText.Describe(e)})");
        }

        await PrintConfirmationAsync(services, settings, time, stdout, cancellationToken);
        return registered ? BridgeCommandLine.Success : BridgeCommandLine.Failure;
    }

    private static async Task PrintConfirmationAsync(IServiceProvider services, BridgeSettings settings, TimeProvider time, TextWriter stdout, CancellationToken ct)
    {
        if (!settings.ConfirmsDelivery)
        {
            await stdout.WriteLineAsync(ConfirmationPrinter.Off);
            return;
        }

        try
        {
            var fromDay = DeliveryPlanner.OldestAcceptedDay(time.GetUtcNow(), settings.Delivery.KokuRetentionMonths);
            await ConfirmationPrinter.PrintLedgerAsync(await services.GetRequiredService<ILedger>().GetPublishedAsync(fromDay, includeFinal: true, ct), stdout);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stdout.WriteLineAsync($"(could not read koku's confirmations from the ledger: {ErrorText.Describe(e)})");
        }
    }
}

/// <summary>The lines <c>clusters --register</c> prints: one per ManagedCluster, then the disappeared sources.</summary>
internal static class RegistrationReportPrinter
{
    public static async Task PrintAsync(RegistrationReport report, RegistrationSettings settings, TextWriter output)
    {
        await output.WriteLineAsync(
            $"registration{(report.DryRun ? " (dry run: nothing is sent to koku)" : "")}: ManagedClusters from {settings.Kubernetes.ApiUrl?.ToString() ?? "the in-cluster API server"}" +
            $" (label selector {settings.Kubernetes.LabelSelector ?? "(none)"}), koku sources API {settings.KokuApi.SourcesUrl}, org {settings.Rules.OrgId}");
        if (report.Error is not null)
        {
            await output.WriteLineAsync($"registration failed ({report.ErrorReason}): {report.Error}");
            return;
        }

        foreach (var c in report.Clusters)
        {
            var word = c.Result switch
            {
                RegistrationResult.Registered => "registered",
                RegistrationResult.WouldRegister => "would register",
                RegistrationResult.AlreadyRegistered => "in koku",
                RegistrationResult.Skipped => "not registered",
                _ => "failed",
            };
            var reason = c.Reason is null ? "" : $" ({c.Reason})";
            await output.WriteLineAsync($"{word,-15} {c.Name}  cluster {c.ClusterId ?? "-"}{reason}: {c.Detail}");
        }

        foreach (var gone in report.Disappeared)
        {
            await output.WriteLineAsync($"{"disappeared",-15} cluster {gone.ClusterId}  koku source {gone.SourceId} ({gone.Name}): no ManagedCluster claims it any more; kept in koku");
        }
    }
}
