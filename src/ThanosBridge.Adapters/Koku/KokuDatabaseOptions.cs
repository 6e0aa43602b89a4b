namespace ThanosBridge.Adapters.Koku;

/// <summary>koku's database, under koku's variable names (DATABASE_SERVICE_HOST, …); the ledger lives there too.</summary>
public sealed record KokuDatabaseOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 5432;

    public required string Database { get; init; }

    public required string Username { get; init; }

    /// <summary>DATABASE_PASSWORD. A secret: never logged.</summary>
    public required string Password { get; init; }

    /// <summary>The Npgsql connection string (holds the password: never log it).</summary>
    public string ConnectionString =>
        new Npgsql.NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Database = Database,
            Username = Username,
            Password = Password,
            ApplicationName = "thanos-bridge",
        }.ConnectionString;
}
