using Npgsql;
using ThanosBridge.Adapters.Koku;

namespace ThanosBridge.Health;

/// <summary>Checks that koku's database answers <c>SELECT 1</c>; the error text never holds the password.</summary>
/// <param name="dataSource">The process's data source (the one discovery and the ledger use); its owner disposes it.</param>
public sealed class DatabaseHealthProbe(KokuDatabaseOptions options, NpgsqlDataSource dataSource)
{
    /// <summary>The password, for <see cref="HealthErrorText"/> to keep out of error texts.</summary>
    public IEnumerable<string> Secrets => [options.Password];

    public DependencyProbe ToProbe() => new(DependencyProbe.Database, CheckAsync);

    /// <exception cref="NpgsqlException">The database did not answer.</exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        _ = await command.ExecuteScalarAsync(cancellationToken);
    }
}
