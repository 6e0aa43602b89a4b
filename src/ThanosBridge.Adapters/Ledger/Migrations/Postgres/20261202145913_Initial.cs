using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ThanosBridge.Adapters.Ledger.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "thanos_bridge");

            migrationBuilder.CreateTable(
                name: "cluster_days",
                schema: "thanos_bridge",
                columns: table => new
                {
                    cluster_id = table.Column<string>(type: "text", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    failed_attempts = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("cluster_days_pkey", x => new { x.cluster_id, x.day });
                    table.CheckConstraint("cluster_days_failed_attempts_check", "failed_attempts >= 0");
                });

            migrationBuilder.CreateTable(
                name: "snapshots",
                schema: "thanos_bridge",
                columns: table => new
                {
                    uuid = table.Column<Guid>(type: "uuid", nullable: false),
                    cluster_id = table.Column<string>(type: "text", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    hours = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<string>(type: "text", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false, defaultValue: 0),
                    last_error = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("snapshots_pkey", x => x.uuid);
                    table.CheckConstraint("snapshots_attempts_check", "attempts >= 0");
                    table.CheckConstraint("snapshots_check", "state <> 'published' OR published_at IS NOT NULL");
                    table.CheckConstraint("snapshots_hours_check", "hours BETWEEN 1 AND 24");
                    table.CheckConstraint("snapshots_state_check", "state IN ('packaged', 'uploaded', 'published')");
                    table.ForeignKey(
                        name: "snapshots_cluster_id_day_fkey",
                        columns: x => new { x.cluster_id, x.day },
                        principalSchema: "thanos_bridge",
                        principalTable: "cluster_days",
                        principalColumns: new[] { "cluster_id", "day" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "snapshot_parts",
                schema: "thanos_bridge",
                columns: table => new
                {
                    uuid = table.Column<Guid>(type: "uuid", nullable: false),
                    idx = table.Column<int>(type: "integer", nullable: false),
                    file_name = table.Column<string>(type: "text", nullable: false),
                    object_key = table.Column<string>(type: "text", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("snapshot_parts_pkey", x => new { x.uuid, x.idx });
                    table.CheckConstraint("snapshot_parts_idx_check", "idx >= 0");
                    table.ForeignKey(
                        name: "snapshot_parts_uuid_fkey",
                        column: x => x.uuid,
                        principalSchema: "thanos_bridge",
                        principalTable: "snapshots",
                        principalColumn: "uuid",
                        onDelete: ReferentialAction.Cascade);
                });

            // Added by hand (no model API for it): payloads are gzip archives already, so they are stored out of line
            // without being compressed again, as the hand-written migration 1 did.
            migrationBuilder.Sql("ALTER TABLE thanos_bridge.snapshot_parts ALTER COLUMN content SET STORAGE EXTERNAL;");

            migrationBuilder.CreateIndex(
                name: "snapshots_day_hours",
                schema: "thanos_bridge",
                table: "snapshots",
                columns: new[] { "cluster_id", "day", "hours" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "snapshots_one_pending",
                schema: "thanos_bridge",
                table: "snapshots",
                columns: new[] { "cluster_id", "day" },
                unique: true,
                filter: "state <> 'published'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "snapshot_parts",
                schema: "thanos_bridge");

            migrationBuilder.DropTable(
                name: "snapshots",
                schema: "thanos_bridge");

            migrationBuilder.DropTable(
                name: "cluster_days",
                schema: "thanos_bridge");
        }
    }
}
