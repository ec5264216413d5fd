using System.Net;
using System.Net.Http.Json;
using BuildFarm.Client;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;
using Grpc.Core;

namespace BuildFarm.IntegrationTests.Admin;

/// <summary>
/// Taking things out of service on the distributed farm: deleting a pipeline (refused while it runs,
/// its history kept) and draining a worker (it claims nothing new; another worker runs the job).
/// </summary>
public sealed class PipelineAndWorkerAdminTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_pipeline_is_not_deleted_while_it_runs_and_once_deleted_its_runs_and_logs_stay_readable()
    {
        await farm.Client.ApplyPipelineAsync("doomed", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo doomed-output\n      - sleep 30\n", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("doomed", cancellationToken: Wait.Up(Limit));

        var refused = await farm.Http.DeleteAsync("/api/pipelines/doomed", Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains(run.Id, await refused.Content.ReadAsStringAsync(Wait.Up(Limit)), StringComparison.Ordinal);
        var overGrpc = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.DeletePipelineAsync("doomed", Wait.Up(Limit)));
        Assert.Equal(StatusCode.FailedPrecondition, overGrpc.Status);

        // Cancelled only once its step has printed, so the log that must stay readable has the step's output in it.
        await Wait.UntilAsync(
            async () => System.Text.Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit))).Contains("doomed-output", StringComparison.Ordinal),
            Limit, "the step's output in the run's log");
        await farm.Client.CancelRunAsync(run.Id, Wait.Up(Limit));
        Assert.Equal(RunStatus.Cancelled, (await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit))).Status);
        var deleted = await farm.Http.DeleteAsync("/api/pipelines/doomed", Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await farm.Http.GetAsync("/api/pipelines/doomed", Wait.Up(Limit))).StatusCode);
        Assert.DoesNotContain(await farm.Client.ListPipelinesAsync(Wait.Up(Limit)), p => p.Name == "doomed");
        var trigger = await farm.Http.PostAsJsonAsync("/api/runs", new { pipeline = "doomed" }, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.NotFound, trigger.StatusCode);
        Assert.Equal(RunStatus.Cancelled, (await farm.Client.GetRunAsync(run.Id, Wait.Up(Limit))).Status);
        Assert.Contains("doomed-output", System.Text.Encoding.UTF8.GetString(await farm.Client.GetLogAsync(run.Id, Wait.Up(Limit))), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await farm.Http.PostAsync($"/api/runs/{run.Id}/retry", null, Wait.Up(Limit))).StatusCode);

        // Applying the name again brings the pipeline back, its version numbers going on.
        var back = await farm.Client.ApplyPipelineAsync("doomed", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", cancellationToken: Wait.Up(Limit));
        Assert.Equal(2, back.Version);
    }

    [Fact]
    public async Task A_drained_worker_claims_nothing_new_and_another_worker_runs_the_job()
    {
        // A worker is known from its first heartbeat on.
        await Wait.UntilAsync(async () => (await farm.Client.ListWorkersAsync(Wait.Up(Limit))).Any(w => w.Id == "worker-a"), Limit, "worker-a's first heartbeat");
        var drained = await farm.Client.DrainWorkerAsync("worker-a", Wait.Up(Limit));
        Assert.Equal(WorkerMode.Draining, drained.Mode);
        try
        {
            var listed = await farm.Http.GetFromJsonAsync<List<WorkerBody>>("/api/workers", Wait.Up(Limit));
            Assert.Contains(listed!, w => w.Id == "worker-a" && w.Mode == "Draining");

            await farm.Client.ApplyPipelineAsync("after-drain", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo ran\n", cancellationToken: Wait.Up(Limit));
            var run = await farm.Client.TriggerRunAsync("after-drain", cancellationToken: Wait.Up(Limit));
            await farm.StartWorkerAsync("worker-b", Wait.Up(Limit));

            var done = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
            Assert.Equal(RunStatus.Succeeded, done.Status);
            Assert.Equal("worker-b", Assert.Single(done.Jobs).WorkerId);

            // Labels (Worker:Labels) come with every heartbeat and are listed over gRPC and HTTP.
            var labelled = await farm.StartWorkerAsync("worker-labelled", Wait.Up(Limit), ["linux", "java:17"]);
            await Wait.UntilAsync(
                async () => (await farm.Client.ListWorkersAsync(Wait.Up(Limit))).Any(w => w.Id == "worker-labelled" && w.Labels.SequenceEqual(["linux", "java:17"])),
                Limit, "worker-labelled's labels over gRPC");
            var overHttp = await farm.Http.GetFromJsonAsync<List<WorkerBody>>("/api/workers", Wait.Up(Limit));
            Assert.Equal(["linux", "java:17"], overHttp!.Single(w => w.Id == "worker-labelled").Labels);
            await labelled.StopAsync(Wait.Up(Limit));
        }
        finally
        {
            Assert.Equal(WorkerMode.Active, (await farm.Client.EnableWorkerAsync("worker-a", Wait.Up(Limit))).Mode);
        }

        var unknown = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.DrainWorkerAsync("no-such-worker", Wait.Up(Limit)));
        Assert.Equal(StatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await farm.Http.PostAsync("/api/workers/no-such-worker/disable", null, Wait.Up(Limit))).StatusCode);
    }

    private sealed record WorkerBody(string Id, string Mode, bool Drained, List<string> Labels);
}
