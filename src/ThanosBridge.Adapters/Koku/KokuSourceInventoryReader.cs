using Microsoft.Extensions.Logging;
using Npgsql;
using ThanosBridge.Core.Discovery;

namespace ThanosBridge.Adapters.Koku;

/// <summary>
/// What auto-registration needs from koku's tables, read-only: every OCP source that is not being deleted, with its
/// cluster id (from the provider's credentials, or from the source's own authentication while koku has not created the
/// provider yet), org and creating identity (api_sources.auth_header); and whether the org is a koku customer.
/// </summary>
public sealed class KokuSourceInventoryReader(NpgsqlDataSource dataSource, string username, ILogger<KokuSourceInventoryReader> logger) : IKokuSourceInventory
{
    internal const string SourcesSql = """
        SELECT COALESCE(NULLIF(a.credentials ->> 'cluster_id', ''),
                        s.authentication -> 'credentials' ->> 'cluster_id') AS cluster_id,
               s.source_id,
               s.name,
               s.org_id,
               s.auth_header
        FROM public.api_sources s
        LEFT JOIN public.api_provider p               ON p.uuid = s.provider_id
        LEFT JOIN public.api_providerauthentication a ON a.id   = p.authentication_id
        WHERE s.source_type = 'OCP'
          AND NOT s.pending_delete
        ORDER BY s.source_id;
        """;

    internal const string OrgKnownSql = "SELECT EXISTS (SELECT 1 FROM public.api_customer WHERE org_id = @org)";

    public async Task<KokuSourceInventory> ReadAsync(string orgId, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await KokuClusterSource.BeginReadOnlyAsync(connection, cancellationToken);

            var sources = new List<KokuOcpSource>();
            await using (var command = new NpgsqlCommand(SourcesSql, connection, transaction))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    if (reader.IsDBNull(0) || reader.GetString(0).Length == 0)
                    {
                        continue;
                    }

                    var (createdBy, _) = KokuIdentity.Read(reader.IsDBNull(4) ? null : reader.GetString(4));
                    sources.Add(new KokuOcpSource(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? "" : reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3), createdBy));
                }
            }

            bool orgKnown;
            await using (var command = new NpgsqlCommand(OrgKnownSql, connection, transaction))
            {
                command.Parameters.AddWithValue("org", orgId);
                orgKnown = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
            }

            await transaction.CommitAsync(cancellationToken);
            var own = sources.Count(s => s.CreatedBy == username && s.OrgId == orgId);
            Log.KokuSourcesRead(logger, sources.Count, own, orgId, orgKnown);
            return new KokuSourceInventory(sources, orgKnown);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var (host, port, database) = KokuClusterSource.ServerOf(dataSource);
            var failure = new KokuDiscoveryException(host, port, database, KokuClusterSource.Describe(ex), ex);
            throw new RegistrationException(RegistrationFailureReasons.KokuDatabaseUnavailable, failure.Message, failure);
        }
    }
}
