using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BuildFarm.Coordinator.Persistence.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class LogChunksLz4 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Log chunks are TOASTed; the default pglz compression cost about a second of server CPU per
            // 100 MB of build output, lz4 a tenth of that for a similar ratio on text. A server built
            // without lz4 keeps pglz rather than failing the migration.
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    ALTER TABLE "LogChunks" ALTER COLUMN "Data" SET COMPRESSION lz4;
                EXCEPTION WHEN feature_not_supported THEN
                    RAISE NOTICE 'lz4 is not available: log chunks stay pglz-compressed';
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""ALTER TABLE "LogChunks" ALTER COLUMN "Data" SET COMPRESSION default;""");
        }
    }
}
