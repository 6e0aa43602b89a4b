using Npgsql;
using ThanosBridge.Adapters.Koku;

namespace ThanosBridge.Health;

/// <summary>Checks that koku's database answers <c>SELECT 1</c>; the error text never holds the password.</summary>
public sealed class DatabaseHealthProbe : IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly bool ownsDataSource;
    private readonly KokuDatabaseOptions options;

    /// <summary>A probe with its own data source, disposed with it.</summary>
    public DatabaseHealthProbe(KokuDatabaseOptions options)
        : this(options, NpgsqlDataSource.Create((options ?? throw new ArgumentNullException(nameof(options))).ConnectionString), ownsDataSource: true)
    {
    }

    /// <summary>A probe on the process's data source (the one discovery and the ledger use); its owner disposes it.</summary>
    public DatabaseHealthProbe(KokuDatabaseOptions options, NpgsqlDataSource dataSource)
        : this(options, dataSource, ownsDataSource: false)
    {
    }

    private DatabaseHealthProbe(KokuDatabaseOptions options, NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataSource);
        this.options = options;
        this.dataSource = dataSource;
        this.ownsDataSource = ownsDataSource;
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

    public void Dispose()
    {
        if (ownsDataSource)
        {
            dataSource.Dispose();
        }
    }

    public ValueTask DisposeAsync() => ownsDataSource ? dataSource.DisposeAsync() : ValueTask.CompletedTask;
}
