using BuildFarm.Coordinator.Hosting;
using BuildFarm.Coordinator.Options;
using BuildFarm.Coordinator.Persistence;
using BuildFarm.Core.Runs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>
/// The execution gate's safety net, on the lease sweeper's cadence (Scheduling:SweepSeconds): a pass for every pipeline
/// with an action still waiting, in case the event that should have let its execution in was missed (a restart).
/// </summary>
public sealed class ExecutionGateSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<SchedulingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ExecutionGateSweeper> logger) : PeriodicSweeper(time, lifetime, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SweepSeconds);

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
        var pipelines = await db.Runs.AsNoTracking()
            .Where(r => (r.Status == RunStatus.Queued || r.Status == RunStatus.Running)
                && db.Jobs.Any(j => j.RunId == r.Id && j.StageName != null && j.Status == RunStatus.Waiting))
            .Select(r => r.PipelineId)
            .Distinct()
            .OrderBy(id => id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var gate = scope.ServiceProvider.GetRequiredService<ExecutionGate>();
        foreach (var pipeline in pipelines)
        {
            await gate.AdmitAsync(pipeline, cancellationToken);
        }
    }
}
