namespace BuildFarm.Worker.Deploy;

/// <summary>The outcome of one lifecycle event on one instance.</summary>
public enum DeploymentEventStatus
{
    Succeeded,
    Failed,

    /// <summary>Not run: ApplicationStop on a first deployment, or every event after a failure.</summary>
    Skipped,
}
