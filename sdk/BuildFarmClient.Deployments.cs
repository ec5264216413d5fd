using BuildFarm.Protos.V1;

namespace BuildFarm.Client;

public sealed partial class BuildFarmClient
{
    private DeployService.DeployServiceClient DeploymentsClient => new(_invoker);

    /// <summary>Creates a CodeDeploy application if it does not exist (admin).</summary>
    /// <param name="name">The application's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<PutApplicationResponse> PutApplicationAsync(string name, CancellationToken cancellationToken = default) =>
        CallAsync(() => DeploymentsClient.PutApplicationAsync(new PutApplicationRequest { Name = name }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Creates or replaces a deployment group (admin): fill <c>TagFilters</c> and/or <c>InstanceNames</c>, config, rollback.</summary>
    /// <param name="group">The group; <c>Application</c> and <c>Name</c> are required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<DeploymentGroup> PutDeploymentGroupAsync(PutDeploymentGroupRequest group, CancellationToken cancellationToken = default) =>
        CallAsync(() => DeploymentsClient.PutDeploymentGroupAsync(group, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Deploys a revision to a group (trigger permission); missing or silent agents fail it at once, by name.</summary>
    /// <param name="request">Application, group and revision are required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Deployment> CreateDeploymentAsync(CreateDeploymentRequest request, CancellationToken cancellationToken = default) =>
        CallAsync(() => DeploymentsClient.CreateDeploymentAsync(request, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>A deployment with its instances and their lifecycle events.</summary>
    /// <param name="id">The deployment's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Deployment> GetDeploymentAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync(() => DeploymentsClient.GetDeploymentAsync(new GetDeploymentRequest { Id = id }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>Deployments newest first, optionally of one application and group.</summary>
    /// <param name="application">Null: every application.</param>
    /// <param name="group">Null: every group.</param>
    /// <param name="limit">0: the coordinator's default (50).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<Deployment>> ListDeploymentsAsync(string? application = null, string? group = null, int limit = 0, CancellationToken cancellationToken = default) =>
        (await CallAsync(() => DeploymentsClient.ListDeploymentsAsync(
            new ListDeploymentsRequest { Application = application ?? "", Group = group ?? "", Limit = limit }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync)).Deployments;

    /// <summary>Stops a deployment (operate); with <paramref name="rollback"/> the group's last good revision is deployed again.</summary>
    /// <param name="id">The deployment's id.</param>
    /// <param name="rollback">Redeploy the last successful revision.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<Deployment> StopDeploymentAsync(string id, bool rollback = false, CancellationToken cancellationToken = default) =>
        CallAsync(() => DeploymentsClient.StopDeploymentAsync(new StopDeploymentRequest { Id = id, Rollback = rollback }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
}
