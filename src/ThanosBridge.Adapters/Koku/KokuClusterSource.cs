using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using ThanosBridge.Core.Collection.Promql;
using ThanosBridge.Core.Delivery;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// Discovers the clusters to deliver for from koku's source tables (koku-ingestion.md §4.3), read-only. Each row is
/// one (cluster, org) pair: the same cluster id registered in two orgs yields two clusters. Sources that koku's
/// listener would never match, or whose cluster id or org id is unusable, are returned as skipped, with the reason.
/// </summary>
public sealed class KokuClusterSource : IClusterSource
{
    /// <summary>koku-ingestion.md §4.3, verbatim.</summary>
    internal const string ActiveClustersSql = """
        SELECT s.source_id,
               s.source_uuid,
               s.name                                 AS source_name,
               s.org_id,                               -- put this in the Kafka message
               s.account_id,
               p.uuid                                 AS provider_uuid,
               p.name                                 AS cluster_alias,
               p.setup_complete,
               p.data_updated_timestamp,
               a.credentials ->> 'cluster_id'         AS cluster_id,
               c.schema_name,
               -- true when the listener's exact-JSON lookup will find this source
               (a.credentials = jsonb_build_object('cluster_id', a.credentials ->> 'cluster_id')) AS listener_match
        FROM public.api_sources s
        JOIN public.api_provider p               ON p.uuid = s.provider_id
        JOIN public.api_providerauthentication a ON a.id   = p.authentication_id
        JOIN public.api_customer c               ON c.id   = p.customer_id
        WHERE p.type = 'OCP'
          AND s.source_type = 'OCP'
          AND NOT s.pending_delete
          AND NOT s.paused
          AND NOT p.paused
          AND p.active
          AND COALESCE(a.credentials ->> 'cluster_id', '') <> ''
        ORDER BY c.schema_name, s.source_id;
        """;

    /// <summary>
    /// The OCP sources the query above leaves out on purpose (paused, pending delete, inactive provider): the user chose
    /// to stop them, so they are skipped quietly, and they must not be mistaken for clusters missing from koku.
    /// </summary>
    internal const string StoppedClustersSql = """
        SELECT a.credentials ->> 'cluster_id' AS cluster_id, s.source_id, s.name AS source_name,
               CASE WHEN s.pending_delete THEN 'pending_delete' WHEN s.paused OR p.paused THEN 'paused' ELSE 'inactive' END AS reason
        FROM public.api_sources s
        JOIN public.api_provider p               ON p.uuid = s.provider_id
        JOIN public.api_providerauthentication a ON a.id   = p.authentication_id
        WHERE p.type = 'OCP'
          AND s.source_type = 'OCP'
          AND (s.pending_delete OR s.paused OR p.paused OR NOT p.active)
          AND COALESCE(a.credentials ->> 'cluster_id', '') <> ''
        ORDER BY s.source_id;
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<KokuClusterSource> logger;
    private readonly string host;
    private readonly int port;
    private readonly string database;

    /// <param name="dataSource">koku's database (<see cref="KokuDatabaseOptions.ConnectionString"/>); not disposed here.</param>
    /// <param name="logger">Receives EventIds 1001–1004.</param>
    public KokuClusterSource(NpgsqlDataSource dataSource, ILogger<KokuClusterSource> logger)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);
        this.dataSource = dataSource;
        this.logger = logger;

        (host, port, database) = ServerOf(dataSource);
    }

    /// <summary>The server and database of <paramref name="dataSource"/>, for messages (its ConnectionString hides the password).</summary>
    internal static (string Host, int Port, string Database) ServerOf(NpgsqlDataSource dataSource)
    {
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return (builder.Host ?? "localhost", builder.Port, builder.Database ?? builder.Username ?? "");
    }

    /// <exception cref="KokuDiscoveryException">The database could not be reached, refused the login, or the query failed.</exception>
    public async Task<DiscoveryResult> DiscoverAsync(CancellationToken cancellationToken)
    {
        List<SourceRow> rows;
        List<SkippedCluster> stopped;
        try
        {
            (rows, stopped) = await ReadRowsAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException
                                   && !cancellationToken.IsCancellationRequested)
        {
            throw new KokuDiscoveryException(host, port, database, Describe(ex), ex);
        }

        var result = Classify(rows);
        foreach (var skipped in result.Skipped)
        {
            Log.SourceSkipped(logger, skipped.ClusterId, skipped.Reason, skipped.Detail);
        }

        foreach (var skipped in stopped)
        {
            Log.SourceStopped(logger, skipped.ClusterId, skipped.Reason, skipped.Detail);
        }

        result = result with { Skipped = [.. result.Skipped, .. stopped] };

        Log.KokuDiscoveryCompleted(logger, result.Clusters.Count, result.Skipped.Count, database, host, port);
        return result;
    }

    /// <summary>Turns the rows of <see cref="ActiveClustersSql"/> (in its order) into clusters and skips.</summary>
    internal DiscoveryResult Classify(IReadOnlyList<SourceRow> rows)
    {
        var clusters = new List<DiscoveredCluster>(rows.Count);
        var skipped = new List<SkippedCluster>();
        var firstSource = new Dictionary<(string ClusterId, string OrgId), int>();
        foreach (var row in rows)
        {
            var source = $"source {row.SourceId} ({row.SourceName})";
            if (!row.ListenerMatch)
            {
                skipped.Add(new SkippedCluster(row.ClusterId, SkipReasons.ListenerMismatch,
                    $"{source}: the provider credentials carry keys besides cluster_id, so koku's listener, which " +
                    "looks the source up by credentials equal to {\"cluster_id\": …}, would drop every payload; " +
                    "re-create the source with only cluster_id in its credentials"));
                continue;
            }

            if (!ClusterId.TryParse(row.ClusterId, out var id, out var reason))
            {
                skipped.Add(new SkippedCluster(row.ClusterId, SkipReasons.InvalidClusterId,
                    $"{source}: the cluster id is not usable because {reason}"));
                continue;
            }

            if (string.IsNullOrEmpty(row.OrgId))
            {
                skipped.Add(new SkippedCluster(row.ClusterId, SkipReasons.MissingOrgId,
                    $"{source}: api_sources.org_id is empty, so no announcement could be matched to the source"));
                continue;
            }

            // koku's listener takes the first source of a (cluster, org) pair; a second one would only double the work.
            if (!firstSource.TryAdd((row.ClusterId, row.OrgId), row.SourceId))
            {
                Log.DuplicateSource(logger, row.ClusterId, row.OrgId, firstSource[(row.ClusterId, row.OrgId)], row.SourceId);
                continue;
            }

            clusters.Add(new DiscoveredCluster(
                id, row.OrgId, row.AccountId, row.ProviderUuid, row.SourceId, row.SchemaName, row.ClusterAlias));
        }

        return new DiscoveryResult(clusters, skipped);
    }

    internal static string Describe(Exception ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState}: {pg.MessageText}",
        NpgsqlException { InnerException: { } inner } npgsql => $"{npgsql.Message} ({inner.Message})",
        _ => ex.Message,
    };

    private async Task<(List<SourceRow> Rows, List<SkippedCluster> Stopped)> ReadRowsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await BeginReadOnlyAsync(connection, cancellationToken);

        var rows = new List<SourceRow>();
        await using (var command = new NpgsqlCommand(ActiveClustersSql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            var sourceId = reader.GetOrdinal("source_id");
            var sourceName = reader.GetOrdinal("source_name");
            var orgId = reader.GetOrdinal("org_id");
            var accountId = reader.GetOrdinal("account_id");
            var providerUuid = reader.GetOrdinal("provider_uuid");
            var clusterAlias = reader.GetOrdinal("cluster_alias");
            var clusterId = reader.GetOrdinal("cluster_id");
            var schemaName = reader.GetOrdinal("schema_name");
            var listenerMatch = reader.GetOrdinal("listener_match");
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new SourceRow(
                    reader.GetInt32(sourceId),
                    reader.IsDBNull(sourceName) ? "" : reader.GetString(sourceName),
                    reader.IsDBNull(orgId) ? null : reader.GetString(orgId),
                    reader.IsDBNull(accountId) ? null : reader.GetString(accountId),
                    reader.GetGuid(providerUuid),
                    reader.IsDBNull(clusterAlias) ? null : reader.GetString(clusterAlias),
                    reader.GetString(clusterId),
                    reader.GetString(schemaName),
                    !reader.IsDBNull(listenerMatch) && reader.GetBoolean(listenerMatch)));
            }
        }

        var stopped = new List<SkippedCluster>();
        await using (var command = new NpgsqlCommand(StoppedClustersSql, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var reason = reader.GetString(3);
                stopped.Add(new SkippedCluster(reader.GetString(0), reason,
                    $"source {reader.GetInt32(1)} ({(reader.IsDBNull(2) ? "" : reader.GetString(2))}) is {reason.Replace('_', ' ')} in koku"));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return (rows, stopped);
    }

    /// <summary>A read-only transaction: the bridge never writes koku's tables.</summary>
    internal static async Task<NpgsqlTransaction> BeginReadOnlyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        try
        {
            await using var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction);
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>The columns of one <see cref="ActiveClustersSql"/> row that discovery uses.</summary>
    internal sealed record SourceRow(
        int SourceId,
        string SourceName,
        string? OrgId,
        string? AccountId,
        Guid ProviderUuid,
        string? ClusterAlias,
        string ClusterId,
        string SchemaName,
        bool ListenerMatch);
}
