using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Batches;

/// <summary>The distributed farm with two workers: a coordinator on PostgreSQL and RabbitMQ, and two worker hosts of one slot each.</summary>
public sealed class BatchFarmFixture : FarmFixture
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await StartWorkerAsync("worker-b", timeout.Token);
    }
}

/// <summary>
/// Batch builds on the real services: a build-graph's members run as jobs of one run, spread over the workers,
/// each dispatched only when its dependencies are done; ignore-failure and fast-fail as CodeBuild defines them;
/// the run shows the batch and every member by identifier over HTTP and gRPC.
/// </summary>
public sealed class BatchRunTests(BatchFarmFixture farm) : IClassFixture<BatchFarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_build_graph_runs_its_members_in_dependency_order_and_an_ignored_failure_does_not_fail_it()
    {
        await farm.Client.ApplyPipelineAsync("graph", """
            version: 0.2
            phases:
              build:
                commands:
                  - echo "member $CODEBUILD_BATCH_BUILD_IDENTIFIER of $CODEBUILD_RUN_ID with TARGET=$TARGET"
                  - if [ "$CODEBUILD_BATCH_BUILD_IDENTIFIER" = lint ]; then exit 7; fi
            env:
              variables:
                TARGET: default
            batch:
              build-graph:
                - identifier: compile
                  env:
                    variables: { TARGET: linux }
                - identifier: lint
                  ignore-failure: true
                - identifier: test
                  depend-on: [compile, lint]
                - identifier: package
                  depend-on: [test]
            """, "buildspec.yml", Wait.Up(Limit));

        var queued = await farm.Client.TriggerRunAsync("graph", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        var story = string.Join("; ", run.Jobs.Select(j => $"{j.Identifier} {j.Status} on {j.WorkerId} ({j.Reason})"));
        Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.Reason} / {story}");
        Assert.Equal(("build-graph", false), (run.Batch.Kind, run.Batch.FastFail));
        Assert.Equal(
            ["compile Succeeded", "lint Failed", "test Succeeded", "package Succeeded"],
            run.Jobs.Select(j => $"{j.Identifier} {j.Status}"));
        Assert.All(run.Jobs, j => Assert.NotEmpty(j.WorkerId));
        var byId = run.Jobs.ToDictionary(j => j.Identifier);
        // test waited for both of its dependencies (lint's failure is ignored), package for test.
        Assert.True(byId["test"].StartedAt.ToDateTimeOffset() >= byId["compile"].FinishedAt.ToDateTimeOffset(), story);
        Assert.True(byId["test"].StartedAt.ToDateTimeOffset() >= byId["lint"].FinishedAt.ToDateTimeOffset(), story);
        Assert.True(byId["package"].StartedAt.ToDateTimeOffset() >= byId["test"].FinishedAt.ToDateTimeOffset(), story);
        Assert.Equal(["compile", "lint"], byId["test"].DependOn);
        Assert.True(byId["lint"].IgnoreFailure);
        Assert.Equal("linux", byId["compile"].BatchVariables["TARGET"]);

        // HTTP shows the same batch, and each member's own log is addressable by identifier.
        var json = await farm.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{queued.Id}", Wait.Up(Limit));
        Assert.Equal("build-graph", json.GetProperty("batch").GetProperty("kind").GetString());
        var jobs = json.GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(["compile", "lint", "test", "package"], jobs.Select(j => j.GetProperty("identifier").GetString()));
        Assert.Equal(["test"], jobs[3].GetProperty("dependOn").EnumerateArray().Select(d => d.GetString()));
        Assert.True(jobs[1].GetProperty("ignoreFailure").GetBoolean());
        var compileLog = await farm.Http.GetStringAsync($"/api/runs/{queued.Id}/log?job=compile", Wait.Up(Limit));
        var testLog = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(queued.Id, "test", Wait.Up(Limit)));
        Assert.Contains($"member compile of {queued.Id} with TARGET=linux", compileLog, StringComparison.Ordinal);
        Assert.Contains($"member test of {queued.Id} with TARGET=default", testLog, StringComparison.Ordinal);
        Assert.Contains("Batch build test (build-graph)", testLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fast_fail_stops_the_running_members_and_those_not_started_and_the_batch_fails()
    {
        await farm.Client.ApplyPipelineAsync("fast-fail", """
            version: 0.2
            phases:
              build:
                commands:
                  - if [ "$CODEBUILD_BATCH_BUILD_IDENTIFIER" = broken ]; then sleep 2; exit 9; fi
                  - if [ "$CODEBUILD_BATCH_BUILD_IDENTIFIER" = sleeper ]; then sleep 90; fi
            batch:
              fast-fail: true
              build-graph:
                - identifier: broken
                - identifier: sleeper
                - identifier: after
                  depend-on: [sleeper, broken]
            """, "buildspec.yml", Wait.Up(Limit));

        var queued = await farm.Client.TriggerRunAsync("fast-fail", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        var story = string.Join("; ", run.Jobs.Select(j => $"{j.Identifier} {j.Status} ({j.Reason})"));
        Assert.True(run.Status == RunStatus.Failed, $"{run.Status}: {run.Reason} / {story}");
        Assert.Equal("build 'broken' failed: phase build failed with exit code 9", run.Reason);
        Assert.Equal(["broken Failed", "sleeper Cancelled", "after Cancelled"], run.Jobs.Select(j => $"{j.Identifier} {j.Status}"));
        Assert.All(run.Jobs.Skip(1), j => Assert.Equal("stopped by fast-fail: build 'broken' failed", j.Reason));
        // The sleeper was stopped, not waited for: its 90 seconds never passed.
        Assert.True(run.FinishedAt.ToDateTimeOffset() - run.CreatedAt.ToDateTimeOffset() < TimeSpan.FromSeconds(80), story);
    }

    [Fact]
    public async Task Without_fast_fail_a_failure_blocks_only_its_dependents_and_fails_the_batch_once_the_rest_finished()
    {
        await farm.Client.ApplyPipelineAsync("no-fast-fail", """
            version: 0.2
            phases:
              build:
                commands:
                  - if [ "$CODEBUILD_BATCH_BUILD_IDENTIFIER" = broken ]; then exit 3; fi
                  - sleep 1
            batch:
              build-graph:
                - identifier: broken
                - identifier: other
                - identifier: blocked
                  depend-on: [broken]
                - identifier: goes_on
                  depend-on: [other]
            """, "buildspec.yml", Wait.Up(Limit));

        var queued = await farm.Client.TriggerRunAsync("no-fast-fail", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        var story = string.Join("; ", run.Jobs.Select(j => $"{j.Identifier} {j.Status} ({j.Reason})"));
        Assert.True(run.Status == RunStatus.Failed, $"{run.Status}: {run.Reason} / {story}");
        Assert.Equal(["broken Failed", "other Succeeded", "blocked Waiting", "goes_on Succeeded"], run.Jobs.Select(j => $"{j.Identifier} {j.Status}"));
        Assert.Equal("not started: 'broken' failed", run.Jobs.Single(j => j.Identifier == "blocked").Reason);
    }

    [Fact]
    public async Task Cancelling_a_batch_cancels_its_running_and_waiting_members()
    {
        await farm.Client.ApplyPipelineAsync("cancelled", """
            version: 0.2
            phases:
              build:
                commands:
                  - sleep 90
            batch:
              build-graph:
                - identifier: first
                - identifier: second
                  depend-on: [first]
            """, "buildspec.yml", Wait.Up(Limit));
        var queued = await farm.Client.TriggerRunAsync("cancelled", cancellationToken: Wait.Up(Limit));
        await Wait.UntilAsync(async () => (await farm.Client.GetRunAsync(queued.Id, Wait.Up(Limit))).Jobs.Any(j => j.Status == RunStatus.Running), Limit, "the first member to run");

        await farm.Client.CancelRunAsync(queued.Id, Wait.Up(Limit));
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(["first Cancelled", "second Cancelled"], run.Jobs.Select(j => $"{j.Identifier} {j.Status}"));
    }

    [Fact]
    public async Task A_member_buildspec_file_is_refused_at_apply_with_its_location_since_a_stored_buildspec_has_no_source()
    {
        var response = await farm.Http.PutAsync("/api/pipelines/with-file?fileName=buildspec.yml",
            new StringContent("version: 0.2\nphases:\n  build:\n    commands: [make]\nbatch:\n  build-list:\n    - identifier: a\n      buildspec: other/buildspec.yml\n", Encoding.UTF8, "application/yaml"),
            Wait.Up(Limit));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("buildspec.yml:8:18 batch.build-list[0].buildspec",
            $"{error.GetProperty("file").GetString()}:{error.GetProperty("line").GetInt32()}:{error.GetProperty("column").GetInt32()} {error.GetProperty("field").GetString()}");
        Assert.Contains("no source", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
