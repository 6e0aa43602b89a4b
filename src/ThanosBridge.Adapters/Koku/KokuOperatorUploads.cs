using Npgsql;
using ThanosBridge.Core.Discovery;
using ThanosBridge.Core.Packaging;

namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// Reads koku's manifest table (koku-ingestion.md §4.5) for the clusters an operator still uploads for: manifests
/// created since a time whose <c>operator_version</c> is not the bridge's (<c>thanos-bridge:…</c>, from the manifest's
/// <c>version</c>). Read-only, on the discovery's data source.
/// </summary>
/// <param name="dataSource">koku's database; not disposed here.</param>
public sealed class KokuOperatorUploads(NpgsqlDataSource dataSource) : IOperatorUploads
{
    internal const string NewestOperatorManifestsSql = """
        SELECT DISTINCT ON (m.cluster_id) m.cluster_id, COALESCE(m.operator_version, '') AS operator_version, m.creation_datetime
        FROM public.reporting_common_costusagereportmanifest m
        WHERE m.cluster_id IS NOT NULL
          AND m.creation_datetime >= @since
          AND COALESCE(m.operator_version, '') NOT LIKE @bridge
        ORDER BY m.cluster_id, m.creation_datetime DESC;
        """;

    /// <exception cref="KokuDiscoveryException">The table could not be read.</exception>
    public async Task<IReadOnlyDictionary<string, OperatorUpload>> NewestSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(NewestOperatorManifestsSql);
            command.Parameters.AddWithValue("since", since.UtcDateTime);
            command.Parameters.AddWithValue("bridge", BridgeProducerPrefix + "%");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var newest = new Dictionary<string, OperatorUpload>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var version = reader.GetString(1);
                newest[reader.GetString(0)] = new OperatorUpload(version.Length == 0 ? "an operator without a version" : version,
                    new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero));
            }

            return newest;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var (host, port, database) = KokuClusterSource.ServerOf(dataSource);
            throw new KokuDiscoveryException(host, port, database, "reading reporting_common_costusagereportmanifest: " + KokuClusterSource.Describe(ex), ex);
        }
    }

    /// <summary>What every bridge version writes before the ':' (<see cref="Manifest.BridgeVersion"/>).</summary>
    internal static string BridgeProducerPrefix => Manifest.BridgeVersion[..(Manifest.BridgeVersion.IndexOf(':', StringComparison.Ordinal) + 1)];
}
