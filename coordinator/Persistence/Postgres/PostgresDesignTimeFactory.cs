using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BuildFarm.Coordinator.Persistence.Postgres;

/// <summary>Lets `dotnet ef migrations add` build the context without starting the app.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBuildFarmDbContext>
{
    public PostgresBuildFarmDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBuildFarmDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=buildfarm_design")
            .Options);
}
