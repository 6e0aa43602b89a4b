using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ThanosBridge.Adapters.Ledger.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DeliveryConfirmation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "announced_at",
                schema: "thanos_bridge",
                table: "snapshots",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "koku_checked_at",
                schema: "thanos_bridge",
                table: "snapshots",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "koku_completed_at",
                schema: "thanos_bridge",
                table: "snapshots",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "koku_status",
                schema: "thanos_bridge",
                table: "snapshots",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "reannouncements",
                schema: "thanos_bridge",
                table: "snapshots",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddCheckConstraint(
                name: "snapshots_reannouncements_check",
                schema: "thanos_bridge",
                table: "snapshots",
                sql: "reannouncements >= 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "snapshots_reannouncements_check",
                schema: "thanos_bridge",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "announced_at",
                schema: "thanos_bridge",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "koku_checked_at",
                schema: "thanos_bridge",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "koku_completed_at",
                schema: "thanos_bridge",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "koku_status",
                schema: "thanos_bridge",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "reannouncements",
                schema: "thanos_bridge",
                table: "snapshots");
        }
    }
}
