namespace BuildFarm.Worker.Deploy;

/// <summary>Told about each lifecycle event as it starts and ends, so the coordinator can show live per-event status.</summary>
public interface IDeploymentProgress
{
    Task EventStartedAsync(string lifecycleEvent, DateTimeOffset at, CancellationToken cancellationToken);

    Task EventFinishedAsync(DeploymentEventResult result, CancellationToken cancellationToken);
}
