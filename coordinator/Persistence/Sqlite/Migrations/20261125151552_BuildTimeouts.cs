using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildFarm.Coordinator.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BuildTimeouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "QueuedTimeoutInMinutes",
                table: "PipelineVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "TimeoutInMinutes",
                table: "PipelineVersions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "BuildTimeoutSeconds",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "QueuedDeadline",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "QueuedTimeoutSeconds",
                table: "Jobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Jobs_Status_QueuedDeadline",
                table: "Jobs",
                columns: new[] { "Status", "QueuedDeadline" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Jobs_Status_QueuedDeadline",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "QueuedTimeoutInMinutes",
                table: "PipelineVersions");

            migrationBuilder.DropColumn(
                name: "TimeoutInMinutes",
                table: "PipelineVersions");

            migrationBuilder.DropColumn(
                name: "BuildTimeoutSeconds",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "QueuedDeadline",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "QueuedTimeoutSeconds",
                table: "Jobs");
        }
    }
}
