using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BuildFarm.Coordinator.Persistence.Sqlite;

public sealed class SqliteBuildFarmDbContext(DbContextOptions<SqliteBuildFarmDbContext> options)
    : BuildFarmDbContext(options)
{
    public override bool SupportsSkipLocked => false;

    // SQLite cannot compare or order DateTimeOffset text; stored as binary ticks they sort correctly.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
