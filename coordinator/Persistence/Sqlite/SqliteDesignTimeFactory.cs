using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BuildFarm.Coordinator.Persistence.Sqlite;

/// <summary>Lets `dotnet ef migrations add` build the context without starting the app.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBuildFarmDbContext>
{
    public SqliteBuildFarmDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBuildFarmDbContext>()
            .UseSqlite("Data Source=design.db")
            .Options);
}
