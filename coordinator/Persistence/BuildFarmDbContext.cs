using BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace BuildFarm.Coordinator.Persistence;

/// <summary>
/// The farm's state. Provider-neutral: <see cref="Postgres.PostgresBuildFarmDbContext"/> and
/// <see cref="Sqlite.SqliteBuildFarmDbContext"/> exist only so each provider has its own migrations.
/// </summary>
public abstract class BuildFarmDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<PipelineVersion> PipelineVersions => Set<PipelineVersion>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<Phase> Phases => Set<Phase>();
    public DbSet<TestReport> TestReports => Set<TestReport>();
    public DbSet<LogChunk> LogChunks => Set<LogChunk>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<Worker> Workers => Set<Worker>();
    public DbSet<Secret> Secrets => Set<Secret>();
    public DbSet<DeployAgent> DeployAgents => Set<DeployAgent>();
    public DbSet<DeployApplication> DeployApplications => Set<DeployApplication>();
    public DbSet<DeploymentGroup> DeploymentGroups => Set<DeploymentGroup>();
    public DbSet<Deployment> Deployments => Set<Deployment>();
    public DbSet<DeploymentInstance> DeploymentInstances => Set<DeploymentInstance>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<RunArtifact> RunArtifacts => Set<RunArtifact>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();

    /// <summary>True when the database can take row locks with SKIP LOCKED (several coordinators).</summary>
    public abstract bool SupportsSkipLocked { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BuildFarmDbContext).Assembly);
}
