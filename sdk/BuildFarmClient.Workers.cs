using BuildFarm.Protos.V1;

namespace BuildFarm.Client;

public sealed partial class BuildFarmClient
{
    private WorkerService.WorkerServiceClient WorkersClient => new(_invoker);

    /// <summary>Every worker that has heartbeated: free slots, running jobs, alive, mode.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<WorkerInfo>> ListWorkersAsync(CancellationToken cancellationToken = default) =>
        (await CallAsync(() => WorkersClient.ListWorkersAsync(new ListWorkersRequest(), deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync)).Workers;

    /// <summary>The worker finishes its jobs and claims nothing new (operate permission).</summary>
    /// <param name="id">The worker's id (<c>Worker:Id</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="BuildFarmException">NOT_FOUND for a worker that never heartbeated.</exception>
    public Task<WorkerInfo> DrainWorkerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync(() => WorkersClient.DrainWorkerAsync(new WorkerRequest { Id = id }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>The worker claims nothing new until enabled; its running jobs finish (operate permission).</summary>
    /// <param name="id">The worker's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<WorkerInfo> DisableWorkerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync(() => WorkersClient.DisableWorkerAsync(new WorkerRequest { Id = id }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);

    /// <summary>The worker claims jobs again (operate permission).</summary>
    /// <param name="id">The worker's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<WorkerInfo> EnableWorkerAsync(string id, CancellationToken cancellationToken = default) =>
        CallAsync(() => WorkersClient.EnableWorkerAsync(new WorkerRequest { Id = id }, deadline: Deadline(), cancellationToken: cancellationToken).ResponseAsync);
}
