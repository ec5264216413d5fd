namespace BuildFarm.Worker.Deploy;

/// <summary>One deployment of a revision to this host, as the coordinator asked for it.</summary>
/// <param name="DeploymentId">The deployment (the same on every instance of the group).</param>
/// <param name="ApplicationName">APPLICATION_NAME for the scripts.</param>
/// <param name="DeploymentGroupId">DEPLOYMENT_GROUP_ID; the agent keeps its state per group.</param>
/// <param name="DeploymentGroupName">DEPLOYMENT_GROUP_NAME.</param>
/// <param name="Revision">An artifact key in the farm's artifact store, or an absolute path to a zip on this host.</param>
/// <param name="IgnoreApplicationStopFailures">A failing ApplicationStop does not fail the deployment.</param>
/// <param name="FileExistsBehaviorOverride">The deployment's own file_exists_behavior, which wins over the appspec's (CodeDeploy's --file-exists-behavior).</param>
public sealed record DeploymentRequest(
    Guid DeploymentId,
    string ApplicationName,
    Guid DeploymentGroupId,
    string DeploymentGroupName,
    string Revision,
    bool IgnoreApplicationStopFailures = false,
    Core.Definitions.AppSpecFileExistsBehavior? FileExistsBehaviorOverride = null)
{
    /// <summary>This host's part of the deployment, as the coordinator knows it (also its log's id).</summary>
    public Guid InstanceDeploymentId { get; init; }
}
