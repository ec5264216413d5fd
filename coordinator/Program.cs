using BuildFarm.Coordinator;
using BuildFarm.Coordinator.Persistence;

var builder = WebApplication.CreateBuilder(args);
builder.AddCoordinator();
var app = builder.Build();
if (args.Contains("migrate"))
{
    // `buildfarm coordinator migrate`: apply migrations and exit, for deployments that migrate separately.
    await DatabaseMigrator.MigrateAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), CancellationToken.None);
    return;
}

app.MapCoordinator();
await app.RunAsync();
