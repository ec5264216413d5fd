using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildFarm.Coordinator.Persistence.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class BatchBuilds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "BatchFastFail",
                table: "Runs",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "BatchKind",
                table: "Runs",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BatchBuildSpec",
                table: "Jobs",
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BatchDependOn",
                table: "Jobs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BatchIdentifier",
                table: "Jobs",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "BatchIgnoreFailure",
                table: "Jobs",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "BatchIndex",
                table: "Jobs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "BatchVariables",
                table: "Jobs",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BatchFastFail",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "BatchKind",
                table: "Runs");

            migrationBuilder.DropColumn(
                name: "BatchBuildSpec",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "BatchDependOn",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "BatchIdentifier",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "BatchIgnoreFailure",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "BatchIndex",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "BatchVariables",
                table: "Jobs");
        }
    }
}
