using BuildFarm.Coordinator.Hosting;
using BuildFarm.Coordinator.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Coordinator.Runs.Pipelines;

/// <summary>Fails approval actions past their timeout, on the lease sweeper's cadence (Scheduling:SweepSeconds).</summary>
public sealed class ApprovalTimeoutSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<SchedulingOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ApprovalTimeoutSweeper> logger) : PeriodicSweeper(time, lifetime, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SweepSeconds);

    protected override async Task SweepOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ApprovalService>().ExpireAsync(BatchSize, cancellationToken);
    }
}
