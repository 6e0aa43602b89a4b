namespace ThanosBridge.IntegrationTests.Ledger;

/// <summary>
/// The ledger schema as the hand-written migrations of the releases before the EF Core model created it (version 1,
/// copied verbatim from src/ThanosBridge.Adapters/Ledger/PostgresLedgerMigrations.cs at 05bbecd), so that taking over
/// such a schema in place is tested against what users have, not against the new model.
/// </summary>
internal static class HandWrittenLedgerSchema
{
    public const string Version1 = """
        CREATE SCHEMA {schema};
            CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                version    integer     PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL
            );
        
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
            
        INSERT INTO {schema}.schema_migrations (version, name, applied_at) VALUES (1, '001_initial', now());
        """;
}
