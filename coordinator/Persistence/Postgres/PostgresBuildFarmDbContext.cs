using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Persistence.Postgres;

public sealed class PostgresBuildFarmDbContext(DbContextOptions<PostgresBuildFarmDbContext> options)
    : BuildFarmDbContext(options)
{
    public override bool SupportsSkipLocked => true;
}
