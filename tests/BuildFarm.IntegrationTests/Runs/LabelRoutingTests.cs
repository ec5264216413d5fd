using System.Net;
using System.Net.Http.Json;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>
/// Jobs that need worker labels, on real PostgreSQL and RabbitMQ: they run only on a worker advertising every
/// label, and while none can take them the job says why. The fixture's worker-a has no labels.
/// </summary>
public sealed class LabelRoutingTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private const string Spec = """
        version: 0.2
        phases:
          build:
            commands:
              - echo "built on $CODEBUILD_BUILD_ID"
        """;

    [Fact]
    public async Task A_job_needing_a_label_no_worker_has_waits_saying_so_then_runs_on_the_worker_that_brings_it()
    {
        var stored = await farm.Client.ApplyPipelineAsync("needs-gpu", Spec, "buildspec.yml", ["gpu", "linux"], Wait.Up(Limit));
        Assert.Equal(["gpu", "linux"], stored.Labels);
        var queued = await farm.Client.TriggerRunAsync("needs-gpu", cancellationToken: Wait.Up(Limit));

        var waiting = await JobWhenAsync(queued.Id, j => j.Reason.StartsWith("waiting: ", StringComparison.Ordinal));
        Assert.Equal(RunStatus.Queued, waiting.Status);
        Assert.Equal("waiting: no worker with labels gpu, linux", waiting.Reason);

        // Half the labels is not enough: still waiting, still not run by worker-a or this one.
        await farm.StartWorkerAsync("worker-gpu-only", Wait.Up(Limit), ["gpu"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(RunStatus.Queued, (await farm.Client.GetRunAsync(queued.Id, Wait.Up(Limit))).Jobs[0].Status);

        await farm.StartWorkerAsync("worker-gpu-linux", Wait.Up(Limit), ["linux", "gpu", "cuda12"]);
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var job = Assert.Single(run.Jobs);
        Assert.Equal("worker-gpu-linux", job.WorkerId);
        Assert.Equal(1, job.Attempt);
        Assert.DoesNotContain("waiting", job.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drained_worker_with_the_label_is_named_while_the_job_waits_and_takes_it_once_enabled()
    {
        await farm.StartWorkerAsync("worker-arm", Wait.Up(Limit), ["arm64"]);
        // The worker is known from its first heartbeat on.
        await Wait.UntilAsync(async () => (await farm.Http.PostAsync("/api/workers/worker-arm/drain", null, Wait.Up(Limit))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(20), "worker-arm to heartbeat and be drained");
        await farm.Client.ApplyPipelineAsync("needs-arm", Spec, "buildspec.yml", ["arm64"], Wait.Up(Limit));
        var queued = await farm.Client.TriggerRunAsync("needs-arm", cancellationToken: Wait.Up(Limit));

        var waiting = await JobWhenAsync(queued.Id, j => j.Reason.StartsWith("waiting: ", StringComparison.Ordinal));
        Assert.Equal("waiting: no live worker with label arm64 (worker-arm is draining)", waiting.Reason);

        (await farm.Http.PostAsync("/api/workers/worker-arm/enable", null, Wait.Up(Limit))).EnsureSuccessStatusCode();
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("worker-arm", run.Jobs[0].WorkerId);
    }

    [Fact]
    public async Task Labelled_runs_each_run_once_and_only_on_matching_workers()
    {
        await farm.StartWorkerAsync("worker-x86-1", Wait.Up(Limit), ["x86"]);
        await farm.StartWorkerAsync("worker-x86-2", Wait.Up(Limit), ["x86"]);
        await farm.Client.ApplyPipelineAsync("needs-x86", Spec, "buildspec.yml", ["x86"], Wait.Up(Limit));
        var runs = new List<Run>();
        for (var i = 0; i < 6; i++)
        {
            runs.Add(await farm.Client.TriggerRunAsync("needs-x86", cancellationToken: Wait.Up(Limit)));
        }

        var finished = new List<Run>();
        foreach (var queued in runs)
        {
            finished.Add(await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit)));
        }

        Assert.All(finished, r => Assert.Equal(RunStatus.Succeeded, r.Status));
        Assert.All(finished, r => Assert.Equal(1, Assert.Single(r.Jobs).Attempt));
        Assert.Subset(new HashSet<string> { "worker-x86-1", "worker-x86-2" }, finished.Select(r => r.Jobs[0].WorkerId).ToHashSet());
    }

    [Fact]
    public async Task Invalid_labels_are_refused_with_a_problem_naming_the_field_and_nothing_is_stored()
    {
        var put = await farm.Http.PutAsJsonAsync("/api/pipelines/bad-labels", new { definition = Spec, labels = new[] { "has space" } }, Wait.Up(Limit));

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("application/problem+json", put.Content.Headers.ContentType?.MediaType);
        var body = await put.Content.ReadAsStringAsync(Wait.Up(Limit));
        Assert.Contains("labels", body, StringComparison.Ordinal);
        Assert.Contains("label 'has space' is invalid", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await farm.Http.GetAsync("/api/pipelines/bad-labels", Wait.Up(Limit))).StatusCode);
    }

    private async Task<Job> JobWhenAsync(string runId, Func<Job, bool> condition)
    {
        Job? seen = null;
        await Wait.UntilAsync(async () =>
        {
            seen = (await farm.Client.GetRunAsync(runId, Wait.Up(Limit))).Jobs.FirstOrDefault();
            return seen is not null && condition(seen);
        }, TimeSpan.FromSeconds(20), $"run {runId}'s job to wait with a reason");
        return seen!;
    }
}
