using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ThanosBridge.Adapters.Ledger.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cluster_days",
                columns: table => new
                {
                    cluster_id = table.Column<string>(type: "TEXT", nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    failed_attempts = table.Column<int>(type: "INTEGER", nullable: false, defaultValue: 0),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("cluster_days_pkey", x => new { x.cluster_id, x.day });
                    table.CheckConstraint("cluster_days_failed_attempts_check", "failed_attempts >= 0");
                });

            migrationBuilder.CreateTable(
                name: "snapshots",
                columns: table => new
                {
                    uuid = table.Column<Guid>(type: "TEXT", nullable: false),
                    cluster_id = table.Column<string>(type: "TEXT", nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    hours = table.Column<int>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false, defaultValue: 0),
                    last_error = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
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
                        principalTable: "cluster_days",
                        principalColumns: new[] { "cluster_id", "day" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "snapshot_parts",
                columns: table => new
                {
                    uuid = table.Column<Guid>(type: "TEXT", nullable: false),
                    idx = table.Column<int>(type: "INTEGER", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", nullable: false),
                    object_key = table.Column<string>(type: "TEXT", nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("snapshot_parts_pkey", x => new { x.uuid, x.idx });
                    table.CheckConstraint("snapshot_parts_idx_check", "idx >= 0");
                    table.ForeignKey(
                        name: "snapshot_parts_uuid_fkey",
                        column: x => x.uuid,
                        principalTable: "snapshots",
                        principalColumn: "uuid",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "snapshots_day_hours",
                table: "snapshots",
                columns: new[] { "cluster_id", "day", "hours" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "snapshots_one_pending",
                table: "snapshots",
                columns: new[] { "cluster_id", "day" },
                unique: true,
                filter: "state <> 'published'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "snapshot_parts");

            migrationBuilder.DropTable(
                name: "snapshots");

            migrationBuilder.DropTable(
                name: "cluster_days");
        }
    }
}
