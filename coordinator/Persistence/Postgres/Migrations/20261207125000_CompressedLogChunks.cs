using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildFarm.Coordinator.Persistence.Postgres.Migrations
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
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Chunks arrive zstd-compressed: TOAST's own compression (lz4, or pglz) would spend CPU on
            // every insert to gain nothing, so large values go out of line as they are.
            migrationBuilder.Sql("ALTER TABLE \"LogChunks\" ALTER COLUMN \"Data\" SET STORAGE EXTERNAL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE \"LogChunks\" ALTER COLUMN \"Data\" SET STORAGE EXTENDED;");

            migrationBuilder.DropColumn(
                name: "Encoding",
                table: "LogChunks");
        }
    }
}
