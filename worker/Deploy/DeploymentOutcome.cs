namespace BuildFarm.Worker.Deploy;

/// <summary>The result of a deployment on this instance: every event in lifecycle order.</summary>
public sealed record DeploymentOutcome(bool Succeeded, IReadOnlyList<DeploymentEventResult> Events)
{
    /// <summary>The event that failed the deployment, if any.</summary>
    public DeploymentEventResult? FailedEvent => Events.FirstOrDefault(e => e.Status == DeploymentEventStatus.Failed);
}
