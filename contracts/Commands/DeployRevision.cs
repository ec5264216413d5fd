namespace BuildFarm.Contracts.Commands;

/// <summary>
/// Sent to one deploy agent's own queue: deploy this revision on your host. The agent claims it with
/// StartInstanceDeployment (so a redelivery runs nothing twice) and acknowledges at once.
/// </summary>
/// <param name="DeploymentId">The deployment, shared by every instance of it.</param>
/// <param name="InstanceDeploymentId">This instance's part of it; also its log's id.</param>
/// <param name="InstanceName">The agent it is meant for.</param>
/// <param name="ApplicationName">APPLICATION_NAME.</param>
/// <param name="DeploymentGroupId">DEPLOYMENT_GROUP_ID.</param>
/// <param name="DeploymentGroupName">DEPLOYMENT_GROUP_NAME.</param>
/// <param name="Revision">An artifact key in the farm's artifact store, or an absolute path on the agent's host.</param>
/// <param name="IgnoreApplicationStopFailures">A failing ApplicationStop does not fail the instance.</param>
/// <param name="FileExistsBehavior">DISALLOW, OVERWRITE or RETAIN to override the appspec's; null keeps it.</param>
public sealed record DeployRevision(
    Guid DeploymentId,
    Guid InstanceDeploymentId,
    string InstanceName,
    string ApplicationName,
    Guid DeploymentGroupId,
    string DeploymentGroupName,
    string Revision,
    bool IgnoreApplicationStopFailures,
    string? FileExistsBehavior);
