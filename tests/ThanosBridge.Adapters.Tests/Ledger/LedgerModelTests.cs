using Microsoft.EntityFrameworkCore;
using ThanosBridge.Adapters.Ledger;

namespace ThanosBridge.Adapters.Tests.Ledger;

/// <summary>The model and the migrations generated from it agree, for both databases (docs/build.md: add a migration to both).</summary>
public sealed class LedgerModelTests
{
    [Fact]
    public void PostgresModel_HasNoChangeWithoutAMigration()
    {
        using var db = new PostgresLedgerDesignTimeFactory().CreateDbContext([]);

        db.Database.HasPendingModelChanges().ShouldBeFalse("run `dotnet dotnet-ef migrations add` for PostgresLedgerDbContext");
        db.Database.GetMigrations().ShouldNotBeEmpty();
    }

    [Fact]
    public void SqliteModel_HasNoChangeWithoutAMigration()
    {
        using var db = new SqliteLedgerDesignTimeFactory().CreateDbContext([]);

        db.Database.HasPendingModelChanges().ShouldBeFalse("run `dotnet dotnet-ef migrations add` for SqliteLedgerDbContext");
        db.Database.GetMigrations().ShouldNotBeEmpty();
    }

    [Fact]
    public void BothModels_HaveTheSameMigrations()
    {
        using var postgres = new PostgresLedgerDesignTimeFactory().CreateDbContext([]);
        using var sqlite = new SqliteLedgerDesignTimeFactory().CreateDbContext([]);

        sqlite.Database.GetMigrations().Select(Name).ShouldBe(postgres.Database.GetMigrations().Select(Name), "one model, the same history on both databases");
    }

    private static string Name(string migrationId) => migrationId[(migrationId.IndexOf('_', StringComparison.Ordinal) + 1)..];
}
