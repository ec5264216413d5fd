extern alias coordinator;

using System.Net;
using System.Net.Http.Json;
using BuildFarm.Client;
using BuildFarm.IntegrationTests.Runs;
using coordinator::BuildFarm.Coordinator.Runs.Pipelines;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RunStatus = BuildFarm.Protos.V1.RunStatus;

namespace BuildFarm.IntegrationTests.Pipelines;

/// <summary>
/// Stopping an execution both ways (HTTP, gRPC), approvals decided over gRPC and expired by their timeout, on the
/// distributed farm with a real git repository.
/// </summary>
public sealed class ExecutionControlTests(ExecutionModesFarmFixture farm) : IClassFixture<ExecutionModesFarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Stop_and_wait_lets_the_running_build_finish_and_starts_nothing_after_it()
    {
        using var repository = GitRepository.Create();
        var gate = Directory.CreateTempSubdirectory("bf-it-stop-").FullName;
        repository.Commit("one", ("hold.yml", TestPipelines.HoldSpec), ("done.yml", TestPipelines.DoneSpec));
        await farm.Client.ApplyPipelineAsync("stop-wait", TestPipelines.Holding(repository, gate, "PARALLEL"), "pipeline.yml", Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("stop-wait", cancellationToken: Wait.Up(Limit));
        await WaitForAsync(run.Id, "Hold", RunStatus.Running);

        var response = await farm.Http.PostAsJsonAsync($"/api/runs/{run.Id}/stop", new { mode = "wait", reason = "release frozen" }, Wait.Up(Limit));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stopping = await farm.Client.GetRunAsync(run.Id, Wait.Up(Limit));
        Assert.Equal(RunStatus.Running, stopping.Status);
        Assert.Equal(["Checkout Succeeded", "Hold Running", "Done Cancelled release frozen"], Actions(stopping));
        await File.WriteAllTextAsync(Path.Combine(gate, "release"), "go\n", Wait.Up(Limit));
        var stopped = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.Equal("release frozen", stopped.Reason);
        Assert.Equal(["Checkout Succeeded", "Hold Succeeded", "Done Cancelled release frozen"], Actions(stopped));
        // A finished execution cannot be stopped again.
        Assert.Equal(HttpStatusCode.Conflict, (await farm.Http.PostAsJsonAsync($"/api/runs/{run.Id}/stop", new { mode = "abandon" }, Wait.Up(Limit))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await farm.Http.PostAsJsonAsync($"/api/runs/{run.Id}/stop", new { mode = "later" }, Wait.Up(Limit))).StatusCode);
    }

    [Fact]
    public async Task Stop_and_abandon_over_grpc_cancels_the_running_build_without_waiting_for_it()
    {
        using var repository = GitRepository.Create();
        var gate = Directory.CreateTempSubdirectory("bf-it-abandon-").FullName;
        repository.Commit("one", ("hold.yml", TestPipelines.HoldSpec), ("done.yml", TestPipelines.DoneSpec));
        await farm.Client.ApplyPipelineAsync("stop-abandon", TestPipelines.Holding(repository, gate, "PARALLEL"), "pipeline.yml", Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync("stop-abandon", cancellationToken: Wait.Up(Limit));
        await WaitForAsync(run.Id, "Hold", RunStatus.Running);

        var answered = await farm.Client.StopExecutionAsync(run.Id, abandon: true, "bad commit", Wait.Up(Limit));

        Assert.Contains(answered.Status, new[] { RunStatus.Cancelling, RunStatus.Cancelled });
        // Never released: the build is cancelled (TERM, grace, KILL) rather than waited for.
        var stopped = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.Equal(["Checkout Succeeded", "Hold Cancelled abandoned: bad commit", "Done Cancelled bad commit"], Actions(stopped));
        var error = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.StopExecutionAsync(run.Id, abandon: false, cancellationToken: Wait.Up(Limit)));
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, error.Status);
    }

    [Fact]
    public async Task Stop_and_abandon_ends_a_waiting_approval_at_once()
    {
        using var repository = GitRepository.Create();
        var run = await StartGatedAsync("stop-approval", repository);

        var stopped = await farm.Client.StopExecutionAsync(run.Id, abandon: true, cancellationToken: Wait.Up(Limit));

        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.Equal(["Checkout Succeeded", "Release Cancelled abandoned: stopped over gRPC", "Done Cancelled stopped over gRPC"], Actions(stopped));
    }

    [Fact]
    public async Task A_plain_cancel_of_a_run_waiting_for_approval_ends_it_like_stop_and_abandon()
    {
        using var repository = GitRepository.Create();
        var run = await StartGatedAsync("cancel-approval", repository);

        // No worker holds an approval, so a cancel that waited for one to confirm would stay Cancelling for ever.
        var cancelled = await farm.Client.CancelRunAsync(run.Id, Wait.Up(Limit));

        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.Equal(RunStatus.Cancelled, cancelled.Jobs.Single(j => j.Name == "Release").Status);
        Assert.Equal(RunStatus.Cancelled, cancelled.Jobs.Single(j => j.Name == "Done").Status);
        Assert.Equal(RunStatus.Cancelled, (await farm.Client.CancelRunAsync(run.Id, Wait.Up(Limit))).Status);
    }

    [Theory]
    [InlineData(true, "Succeeded", "Done Succeeded")]
    [InlineData(false, "Failed", "Done Waiting")]
    public async Task An_approval_is_decided_over_grpc_with_who_and_the_comment_recorded(bool approve, string runStatus, string after)
    {
        using var repository = GitRepository.Create();
        repository.Commit("one", ("done.yml", TestPipelines.DoneSpec));
        var name = $"grpc-approval-{approve.ToString().ToLowerInvariant()}";
        await farm.Client.ApplyPipelineAsync(name, TestPipelines.Gated(repository), "pipeline.yml", Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync(name, cancellationToken: Wait.Up(Limit));
        await WaitForAsync(run.Id, "Release", RunStatus.Running);

        await (approve
            ? farm.Client.ApproveAsync(run.Id, "Gate", "Release", "checked the diff", Wait.Up(Limit))
            : farm.Client.RejectAsync(run.Id, "Gate", "Release", "checked the diff", Wait.Up(Limit)));

        var done = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(runStatus, done.Status.ToString());
        Assert.Equal(after, Actions(done)[2]);
        Assert.Matches($"^{(approve ? "approved" : "rejected")} by .+: checked the diff$", done.Jobs.Single(j => j.Name == "Release").Reason);
        var again = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.ApproveAsync(run.Id, "Gate", "Release", cancellationToken: Wait.Up(Limit)));
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, again.Status);
    }

    [Theory]
    [InlineData(null, 7 * 24 * 60)]
    [InlineData(30, 30)]
    public async Task An_approval_nobody_decides_fails_its_stage_at_its_timeout(int? timeoutMinutes, int expectedMinutes)
    {
        using var repository = GitRepository.Create();
        repository.Commit("one", ("done.yml", TestPipelines.DoneSpec));
        var name = $"approval-timeout-{expectedMinutes}";
        await farm.Client.ApplyPipelineAsync(name, TestPipelines.Gated(repository, timeoutMinutes), "pipeline.yml", Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync(name, cancellationToken: Wait.Up(Limit));
        await WaitForAsync(run.Id, "Release", RunStatus.Running);

        // The coordinator's own approval service, on a clock a minute short of the timeout, then a minute past it.
        DateTimeOffset started;
        await using (var scope = farm.OpenDatabase(out var db))
        {
            var runId = Guid.Parse(run.Id);
            started = (await db.Jobs.AsNoTracking().SingleAsync(j => j.RunId == runId && j.Name == "Release")).StartedAt!.Value;
        }
        await ExpireAtAsync(started.AddMinutes(expectedMinutes - 1));
        Assert.Equal(RunStatus.Running, (await farm.Client.GetRunAsync(run.Id, Wait.Up(Limit))).Jobs.Single(j => j.Name == "Release").Status);
        Assert.True(await ExpireAtAsync(started.AddMinutes(expectedMinutes + 1)) >= 1);

        var done = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Failed, done.Status);
        Assert.Equal(["Checkout Succeeded", $"Release Failed approval timed out after {expectedMinutes} minute(s)", "Done Waiting"], Actions(done));
    }

    [Fact]
    public async Task A_stage_retried_with_all_its_actions_enters_through_the_gate_and_an_http_start_checks_out_its_source_revision()
    {
        using var repository = GitRepository.Create();
        // Fails on its first attempt only (CODEBUILD_BUILD_NUMBER is the action's attempt), and only at the first commit.
        var first = repository.Commit("one", ("flaky.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - test \"$CODEBUILD_BUILD_NUMBER\" -ge 2\n      - grep -q one version.txt\n"),
            ("version.txt", "one\n"), ("done.yml", TestPipelines.DoneSpec));
        repository.Commit("two", ("version.txt", "two\n"));
        await farm.Client.ApplyPipelineAsync("retry-all", $$"""
            version: 1
            stages:
              - name: Source
                actions:
                  - name: Checkout
                    category: source
                    configuration: { repository: "{{repository.Url}}" }
                    outputArtifacts: [Src]
              - name: Build
                actions:
                  - name: Flaky
                    category: build
                    inputArtifacts: [Src]
                    configuration: { buildspec: flaky.yml }
                  - name: Steady
                    category: test
                    inputArtifacts: [Src]
                    configuration: { buildspec: done.yml }
            """, "pipeline.yml", Wait.Up(Limit));
        var created = await farm.Http.PostAsJsonAsync("/api/runs", new { pipeline = "retry-all", sourceVersion = first }, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var runId = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Wait.Up(Limit))).GetProperty("id").GetString()!;
        var failed = await farm.Client.WaitForRunAsync(runId, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Failed, failed.Status);

        var retry = await farm.Http.PostAsync($"/api/runs/{runId}/stages/Build/retry?mode=all", null, Wait.Up(Limit));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var run = await FinishedAsync(runId);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["Checkout 1 Succeeded", "Flaky 2 Succeeded", "Steady 2 Succeeded"],
            run.Jobs.OrderBy(j => j.StageIndex).ThenBy(j => j.Name).Select(j => $"{j.Name} {j.Attempt} {j.Status}"));
        Assert.Contains($"Checked out {repository.Url} at {first}", System.Text.Encoding.UTF8.GetString(await farm.Client.GetLogAsync(runId, Wait.Up(Limit))), StringComparison.Ordinal);
        var refused = await farm.Http.PostAsJsonAsync("/api/runs", new { pipeline = "retry-all", sourceVersion = "--upload-pack=evil" }, Wait.Up(Limit));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    /// <summary>The run once final; past the limit, fails with where each action stands.</summary>
    private async Task<Protos.V1.Run> FinishedAsync(string runId)
    {
        try
        {
            return await farm.Client.WaitForRunAsync(runId, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        }
        catch (OperationCanceledException)
        {
            var run = await farm.Client.GetRunAsync(runId, Wait.Up(Limit));
            throw new TimeoutException($"run {runId} still {run.Status}: {string.Join("; ", run.Jobs.Select(j => $"{j.Stage}/{j.Name} attempt {j.Attempt} {j.Status} {j.Reason}"))}");
        }
    }

    private async Task<int> ExpireAtAsync(DateTimeOffset now)
    {
        await using var scope = farm.CoordinatorServices.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var approvals = ActivatorUtilities.CreateInstance<ApprovalService>(services, new FakeTimeProvider(now));
        return await approvals.ExpireAsync(100, Wait.Up(Limit));
    }

    private static List<string> Actions(Protos.V1.Run run) =>
        run.Jobs.OrderBy(j => j.StageIndex).ThenBy(j => j.RunOrder)
            .Select(j => $"{j.Name} {j.Status}{(j.Status is RunStatus.Cancelled or RunStatus.Failed && j.Reason.Length > 0 ? $" {j.Reason}" : "")}").ToList();

    /// <summary>Applies the gated pipeline (checkout → approval Release → Done) and starts it; returns the run once Release waits.</summary>
    private async Task<Protos.V1.Run> StartGatedAsync(string name, GitRepository repository)
    {
        repository.Commit("one", ("done.yml", TestPipelines.DoneSpec));
        await farm.Client.ApplyPipelineAsync(name, TestPipelines.Gated(repository), "pipeline.yml", Wait.Up(Limit));
        var run = await farm.Client.TriggerRunAsync(name, cancellationToken: Wait.Up(Limit));
        await WaitForAsync(run.Id, "Release", RunStatus.Running);
        return run;
    }

    private async Task WaitForAsync(string runId, string action, RunStatus status) =>
        await Wait.UntilAsync(async () => (await farm.Client.GetRunAsync(runId, Wait.Up(Limit))).Jobs.Any(j => j.Name == action && j.Status == status),
            Limit, $"{action} to be {status}");
}
