using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ThanosBridge.Adapters.Ledger;

/// <summary>
/// For <c>dotnet ef migrations add</c> only (docs/build.md): the model needs a provider, not a database, so nothing connects.
/// </summary>
internal sealed class PostgresLedgerDesignTimeFactory : IDesignTimeDbContextFactory<PostgresLedgerDbContext>
{
    public PostgresLedgerDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<PostgresLedgerDbContext>()
            .UseNpgsql("Host=design-time-only", o => o.MigrationsHistoryTable("__EFMigrationsHistory", PostgresLedgerDbContext.Schema))
            .Options);
}

/// <inheritdoc cref="PostgresLedgerDesignTimeFactory"/>
internal sealed class SqliteLedgerDesignTimeFactory : IDesignTimeDbContextFactory<SqliteLedgerDbContext>
{
    public SqliteLedgerDbContext CreateDbContext(string[] args) => new(
        new DbContextOptionsBuilder<SqliteLedgerDbContext>().UseSqlite("Data Source=design-time-only.db").Options);
}
