using Npgsql;
using ThanosBridge.Adapters.Koku;

namespace ThanosBridge.Health;

/// <summary>Checks that koku's database answers <c>SELECT 1</c>; the error text never holds the password.</summary>
public sealed class DatabaseHealthProbe : IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly KokuDatabaseOptions options;

    public DatabaseHealthProbe(KokuDatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        dataSource = NpgsqlDataSource.Create(options.ConnectionString);
    }

    /// <summary>The password, for <see cref="HealthErrorText"/> to keep out of error texts.</summary>
    public IEnumerable<string> Secrets => [options.Password];

    public DependencyProbe ToProbe() => new(DependencyProbe.Database, CheckAsync);

    /// <exception cref="NpgsqlException">The database did not answer.</exception>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        _ = await command.ExecuteScalarAsync(cancellationToken);
    }

    public void Dispose() => dataSource.Dispose();

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
