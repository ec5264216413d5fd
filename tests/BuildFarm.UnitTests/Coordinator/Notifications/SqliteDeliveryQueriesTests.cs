extern alias coordinator;

using coordinator::BuildFarm.Coordinator.Notifications;
using coordinator::BuildFarm.Coordinator.Options;
using coordinator::BuildFarm.Coordinator.Persistence;
using coordinator::BuildFarm.Coordinator.Persistence.Entities;
using coordinator::BuildFarm.Coordinator.Persistence.Sqlite;
using coordinator::BuildFarm.Coordinator.Pipelines;
using coordinator::BuildFarm.Coordinator.Secrets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BuildFarm.UnitTests.Coordinator.Notifications;

/// <summary>
/// The embedded farm's SQLite runs the same sender and scheduler queries as PostgreSQL (leases, due rows, the
/// latest-version join); these check they translate and behave there, on a migrated temp database.
/// </summary>
public sealed class SqliteDeliveryQueriesTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bf-sqlite-notify-").FullName;
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var collection = new ServiceCollection();
        collection.AddDbContext<BuildFarmDbContext, SqliteBuildFarmDbContext>(o => o.UseSqlite($"Data Source={Path.Combine(_directory, "farm.db")}"));
        collection.AddSingleton<TimeProvider>(_clock);
        collection.AddSingleton(Options.Create(new SecretsOptions()));
        collection.AddSingleton(Options.Create(new NotificationOptions { InitialBackoffMilliseconds = 1000, TimeoutSeconds = 2 }));
        collection.AddScoped<SecretStore>();
        collection.AddSingleton<PipelineEdgesCache>();
        collection.AddScoped<PipelineEdgesLookup>();
        collection.AddHttpClient(NotificationSender.HttpClientName);
        _services = collection.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>().Database.MigrateAsync();
    }

    [Fact]
    public async Task A_failed_post_is_leased_counted_and_scheduled_again_with_backoff()
    {
        var id = Guid.NewGuid();
        await using (var scope = _services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
            db.NotificationDeliveries.Add(new NotificationDelivery
            {
                Id = id, PipelineName = "p", RunId = Guid.NewGuid(), Target = "t", Event = "STARTED", Subject = "run",
                DedupeKey = "k", Url = "http://127.0.0.1:1/", Body = "{}", Status = DeliveryStatuses.Pending,
                NextAttemptAt = _clock.GetUtcNow(), CreatedAt = _clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        var sender = new NotificationSender(_services.GetRequiredService<IServiceScopeFactory>(), _services.GetRequiredService<IHttpClientFactory>(),
            _clock, _services.GetRequiredService<IOptions<NotificationOptions>>(), new StartedLifetime(), NullLogger<NotificationSender>.Instance);

        var first = await sender.SendDueAsync(CancellationToken.None);
        var beforeBackoff = await sender.SendDueAsync(CancellationToken.None);

        Assert.Equal((1, 0), (first, beforeBackoff));
        await using (var scope = _services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>().NotificationDeliveries.SingleAsync(d => d.Id == id);
            Assert.Equal((DeliveryStatuses.Pending, 1), (row.Status, row.Attempts));
            Assert.Null(row.LeaseUntil);
            Assert.Equal(_clock.GetUtcNow().AddSeconds(1), row.NextAttemptAt);
            Assert.NotNull(row.LastError);
        }
    }

    [Fact]
    public async Task The_scheduler_reads_only_each_pipelines_latest_version()
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var pipeline = new Pipeline { Id = Guid.NewGuid(), Name = "nightly", LatestVersion = 2, CreatedAt = _clock.GetUtcNow() };
        db.Pipelines.Add(pipeline);
        db.PipelineVersions.Add(new PipelineVersion { Id = Guid.NewGuid(), PipelineId = pipeline.Id, Version = 1, FileName = "buildspec.yml", Definition = "triggers:\n  schedule: \"0 1 * * *\"\n", CreatedAt = _clock.GetUtcNow() });
        db.PipelineVersions.Add(new PipelineVersion { Id = Guid.NewGuid(), PipelineId = pipeline.Id, Version = 2, FileName = "buildspec.yml", Definition = "triggers:\n  schedule: \"0 3 * * *\"\n", CreatedAt = _clock.GetUtcNow() });
        await db.SaveChangesAsync();

        var latest = await scope.ServiceProvider.GetRequiredService<PipelineEdgesLookup>().AllLatestAsync(CancellationToken.None);

        var (name, edges) = Assert.Single(latest);
        Assert.Equal(("nightly", "0 3 * * *"), (name, edges.Triggers!.Schedule!.Text));
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class StartedLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => new(canceled: true);
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication()
        {
        }
    }
}
