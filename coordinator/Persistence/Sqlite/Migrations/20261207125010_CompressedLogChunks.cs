using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildFarm.Coordinator.Persistence.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class CompressedLogChunks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Encoding",
                table: "LogChunks",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Encoding",
                table: "LogChunks");
        }
    }
}
