namespace ThanosBridge.Adapters.Ledger;

/// <summary>One versioned change of the ledger schema. <c>{schema}</c> in the SQL stands for the quoted schema name.</summary>
internal sealed record LedgerMigration(int Version, string Name, string Sql);

/// <summary>
/// The ledger's schema history, applied in order by <see cref="PostgresLedger.InitializeAsync"/>. Never edit a released
/// migration: add the next version instead. Every object lives in the ledger's own schema; koku's tables in
/// <c>public</c> are never touched.
/// </summary>
internal static class PostgresLedgerMigrations
{
    /// <summary>Whether the schema exists (CREATE SCHEMA needs the CREATE right on the database even when it does).</summary>
    public const string SchemaExists = "SELECT to_regnamespace(@schema) IS NOT NULL";

    public const string CreateSchema = "CREATE SCHEMA {schema}";

    /// <summary>Bootstrap, run before the versions are read: the table of applied versions.</summary>
    public const string Bootstrap = """
        CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    public static IReadOnlyList<LedgerMigration> All { get; } =
    [
        new(1, "001_initial", """
            -- Per cluster-day: failed attempts since the last successful publish (collection failures have no snapshot).
            CREATE TABLE {schema}.cluster_days (
                cluster_id      text        NOT NULL,
                day             date        NOT NULL,
                failed_attempts integer     NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
                last_error      text,
                updated_at      timestamptz NOT NULL,
                PRIMARY KEY (cluster_id, day)
            );

            -- One cumulative snapshot (payload) of a cluster-day; its uuid is the manifest uuid koku dedups on.
            CREATE TABLE {schema}.snapshots (
                uuid         uuid        PRIMARY KEY,
                cluster_id   text        NOT NULL,
                day          date        NOT NULL,
                hours        integer     NOT NULL CHECK (hours BETWEEN 1 AND 24),
                state        text        NOT NULL CHECK (state IN ('packaged', 'uploaded', 'published')),
                attempts     integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                last_error   text,
                created_at   timestamptz NOT NULL,
                updated_at   timestamptz NOT NULL,
                published_at timestamptz,
                CHECK (state <> 'published' OR published_at IS NOT NULL),
                FOREIGN KEY (cluster_id, day) REFERENCES {schema}.cluster_days (cluster_id, day) ON DELETE CASCADE
            );

            -- At most one unfinished snapshot per cluster-day: callers finish it before packaging the next.
            CREATE UNIQUE INDEX snapshots_one_pending ON {schema}.snapshots (cluster_id, day) WHERE state <> 'published';

            -- Every snapshot of a day has more hours than the ones published before it, so hours identify it.
            CREATE UNIQUE INDEX snapshots_day_hours ON {schema}.snapshots (cluster_id, day, hours);

            -- The payload files of a snapshot; content becomes NULL once a newer snapshot of the day is published.
            CREATE TABLE {schema}.snapshot_parts (
                uuid       uuid    NOT NULL REFERENCES {schema}.snapshots (uuid) ON DELETE CASCADE,
                idx        integer NOT NULL CHECK (idx >= 0),
                file_name  text    NOT NULL,
                object_key text    NOT NULL,
                content    bytea,
                PRIMARY KEY (uuid, idx)
            );

            -- Payloads are gzip archives already: store them out of line without compressing them again.
            ALTER TABLE {schema}.snapshot_parts ALTER COLUMN content SET STORAGE EXTERNAL;
            """),
    ];

    public static int LatestVersion => All[^1].Version;
}
