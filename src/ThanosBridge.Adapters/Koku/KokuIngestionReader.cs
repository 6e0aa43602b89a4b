using Npgsql;
using ThanosBridge.Core.Confirmation;

namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// Reads koku's ingestion outcome of the bridge's snapshots (koku-ingestion.md §4.5): the manifest rows whose
/// <c>assembly_id</c> is one of the given uuids, with their status rows counted, in one query. Read-only, on the
/// discovery's data source.
/// </summary>
/// <param name="dataSource">koku's database; not disposed here.</param>
public sealed class KokuIngestionReader(NpgsqlDataSource dataSource) : IKokuIngestion
{
    /// <summary>Status 1 is DONE and 2 FAILED (koku's <c>CombinedChoices</c>); the state's steps are download, processing and summary.</summary>
    internal const string ManifestsSql = """
        SELECT m.assembly_id,
               m.num_total_files,
               m.completed_datetime,
               (m.state -> 'download' ->> 'failed') IS NOT NULL   AS download_failed,
               (m.state -> 'processing' ->> 'failed') IS NOT NULL AS processing_failed,
               (m.state -> 'summary' ->> 'failed') IS NOT NULL    AS summary_failed,
               count(s.manifest_id) FILTER (WHERE s.status = 1 AND s.completed_datetime IS NOT NULL) AS done_files,
               count(s.manifest_id) FILTER (WHERE s.status = 2)                             AS failed_files,
               max(s.completed_datetime)                                                    AS last_file_completed,
               m.provider_id
        FROM public.reporting_common_costusagereportmanifest m
        LEFT JOIN public.reporting_common_costusagereportstatus s ON s.manifest_id = m.id
        WHERE m.assembly_id = ANY(@uuids)
        GROUP BY m.id;
        """;

    /// <exception cref="KokuDiscoveryException">The tables could not be read.</exception>
    public async Task<IReadOnlyList<KokuManifest>> ManifestsAsync(IReadOnlyCollection<Guid> uuids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uuids);
        try
        {
            await using var command = dataSource.CreateCommand(ManifestsSql);
            // koku stores the manifest's uuid as written: lower-case, hyphenated.
            command.Parameters.AddWithValue("uuids", uuids.Select(u => u.ToString("D")).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var manifests = new List<KokuManifest>();
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!Guid.TryParse(reader.GetString(0), out var uuid))
                {
                    continue;
                }

                var failed = new List<string>(3);
                foreach (var (column, step) in new[] { (3, "download"), (4, "processing"), (5, "summary") })
                {
                    if (reader.GetBoolean(column))
                    {
                        failed.Add(step);
                    }
                }

                manifests.Add(new KokuManifest(
                    uuid,
                    reader.GetInt32(1),
                    reader.IsDBNull(2) ? null : new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                    failed,
                    (int)reader.GetInt64(6),
                    (int)reader.GetInt64(7),
                    reader.IsDBNull(8) ? null : new DateTimeOffset(reader.GetDateTime(8), TimeSpan.Zero),
                    reader.IsDBNull(9) ? null : reader.GetGuid(9)));
            }

            return manifests;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var (host, port, database) = KokuClusterSource.ServerOf(dataSource);
            throw new KokuDiscoveryException(host, port, database,
                "reading reporting_common_costusagereportmanifest and reporting_common_costusagereportstatus: " + KokuClusterSource.Describe(ex), ex);
        }
    }
}
