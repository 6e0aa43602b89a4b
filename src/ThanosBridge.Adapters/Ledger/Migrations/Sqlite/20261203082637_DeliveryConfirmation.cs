using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ThanosBridge.Adapters.Ledger.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DeliveryConfirmation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "announced_at",
                table: "snapshots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "koku_checked_at",
                table: "snapshots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "koku_completed_at",
                table: "snapshots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "koku_status",
                table: "snapshots",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "reannouncements",
                table: "snapshots",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddCheckConstraint(
                name: "snapshots_reannouncements_check",
                table: "snapshots",
                sql: "reannouncements >= 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "snapshots_reannouncements_check",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "announced_at",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "koku_checked_at",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "koku_completed_at",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "koku_status",
                table: "snapshots");

            migrationBuilder.DropColumn(
                name: "reannouncements",
                table: "snapshots");
        }
    }
}
