using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildFarm.Coordinator.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PipelineActions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Category",
                table: "Jobs",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "RunOrder",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<int>(
                name: "StageIndex",
                table: "Jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "StageName",
                table: "Jobs",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Category",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "RunOrder",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "StageIndex",
                table: "Jobs");

            migrationBuilder.DropColumn(
                name: "StageName",
                table: "Jobs");
        }
    }
}
