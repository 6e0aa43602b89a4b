using Microsoft.Extensions.DependencyInjection;
using ThanosBridge.Adapters.Thanos;
using ThanosBridge.Configuration;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Hosting;

namespace ThanosBridge.Commands;

/// <summary><c>clusters</c>: what discovery sees: delivered clusters, skipped ones with the reason, unregistered ones.</summary>
internal static class ClustersCommand
{
    public static async Task<int> RunAsync(BridgeSettings settings, TextWriter stdout, TimeProvider time, CancellationToken cancellationToken)
    {
        // Discovery and Thanos only: listing clusters reads no ledger.
        await using var services = CommandServices.Build(settings, time);
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

        return BridgeCommandLine.Success;
    }
}
