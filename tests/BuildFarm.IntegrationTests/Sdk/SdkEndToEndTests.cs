using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BuildFarm.Client;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;
using Grpc.Core;

namespace BuildFarm.IntegrationTests.Sdk;

/// <summary>
/// The SDK against a real coordinator and worker (PostgreSQL, RabbitMQ): trigger with variables and a source
/// revision, follow the live log and cancel, list with filters and paging, decide approvals, manage pipelines,
/// and typed errors carrying the gRPC status.
/// </summary>
public sealed class SdkEndToEndTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public async Task Trigger_with_variables_and_a_revision_then_follow_the_live_log_and_cancel()
    {
        await farm.Client.ApplyPipelineAsync("sdk-follow", """
            version: 0.2
            phases:
              build:
                commands:
                  - echo "source=$CODEBUILD_SOURCE_VERSION resolved=$CODEBUILD_RESOLVED_SOURCE_VERSION greeting=$GREETING"
                  - echo ready
                  - sleep 600
            """, cancellationToken: Wait.Up(Limit));
        var correlation = Guid.NewGuid();
        var run = await farm.Client.TriggerRunAsync(
            "sdk-follow", new Dictionary<string, string> { ["GREETING"] = "hello" }, sourceVersion: Commit, correlationId: correlation, cancellationToken: Wait.Up(Limit));

        using var followed = new MemoryStream();
        Run? cancelled = null;
        await foreach (var segment in farm.Client.FollowLogAsync(run.Id, cancellationToken: Wait.Up(Limit)))
        {
            Assert.Equal(followed.Length, segment.Offset);
            segment.Data.WriteTo(followed);
            if (cancelled is null && Encoding.UTF8.GetString(followed.ToArray()).Contains("ready\n", StringComparison.Ordinal))
            {
                cancelled = await farm.Client.CancelRunAsync(run.Id, Wait.Up(Limit));
            }
        }

        // The follow ends by itself when the run ends.
        Assert.NotNull(cancelled);
        Assert.Contains(cancelled.Status, new[] { RunStatus.Cancelling, RunStatus.Cancelled });
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Cancelled, final.Status);
        var text = Encoding.UTF8.GetString(followed.ToArray());
        Assert.Contains($"source={Commit} resolved={Commit} greeting=hello", text, StringComparison.Ordinal);
        using var downloaded = new MemoryStream();
        var length = await farm.Client.DownloadLogAsync(run.Id, downloaded, Wait.Up(Limit));
        Assert.Equal(downloaded.Length, length);
        Assert.Equal(downloaded.ToArray(), followed.ToArray());
        using (farm.OpenDatabase(out var db))
        {
            Assert.Equal(correlation, db.Runs.Single(r => r.Id == Guid.Parse(run.Id)).CorrelationId);
        }

        var refused = await Assert.ThrowsAsync<BuildFarmException>(
            () => farm.Client.TriggerRunAsync("sdk-follow", sourceVersion: "main branch", cancellationToken: Wait.Up(Limit)));
        Assert.Equal(StatusCode.InvalidArgument, refused.Status);
        Assert.Equal("source_version", Assert.Single(refused.Violations).Field);
    }

    [Fact]
    public async Task Runs_are_listed_by_branch_and_creation_time_across_pages_over_grpc_and_http()
    {
        await farm.Client.ApplyPipelineAsync("sdk-list", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", cancellationToken: Wait.Up(Limit));
        var feature = new List<Run>();
        for (var i = 0; i < 3; i++)
        {
            feature.Add(await farm.Client.TriggerRunAsync("sdk-list", sourceVersion: "refs/heads/feature-x", cancellationToken: Wait.Up(Limit)));
        }

        var later = new List<Run>
        {
            await farm.Client.TriggerRunAsync("sdk-list", sourceVersion: "refs/heads/main", cancellationToken: Wait.Up(Limit)),
            await farm.Client.TriggerRunAsync("sdk-list", new Dictionary<string, string> { ["CODEBUILD_WEBHOOK_HEAD_REF"] = "refs/heads/main" }, cancellationToken: Wait.Up(Limit)),
            await farm.Client.TriggerRunAsync("sdk-list", sourceVersion: Commit, cancellationToken: Wait.Up(Limit)),
        };

        // By branch, two per page: every feature-x run once, newest first.
        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await farm.Client.ListRunsAsync("sdk-list", pageSize: 2, pageToken: token, branch: "feature-x", cancellationToken: Wait.Up(Limit));
            seen.AddRange(page.Runs.Select(r => r.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);
        Assert.Equal(feature.Select(r => r.Id).Reverse(), seen);

        var main = await farm.Http.GetFromJsonAsync<JsonElement>("/api/runs?pipeline=sdk-list&branch=main", Wait.Up(Limit));
        Assert.Equal(later.Take(2).Select(r => r.Id).Reverse(), main.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        // By creation time: the split falls between the last feature run and the first later one.
        // As stored (the database keeps microseconds), not as the trigger's answer had it.
        var split = (await farm.Client.GetRunAsync(later[0].Id, Wait.Up(Limit))).CreatedAt.ToDateTimeOffset();
        var after = await farm.Client.ListRunsAsync("sdk-list", createdAfter: split, cancellationToken: Wait.Up(Limit));
        var before = await farm.Client.ListRunsAsync("sdk-list", createdBefore: split, cancellationToken: Wait.Up(Limit));
        Assert.Equal(later.Select(r => r.Id).Reverse(), after.Runs.Select(r => r.Id));
        Assert.Equal(feature.Select(r => r.Id).Reverse(), before.Runs.Select(r => r.Id));
        var http = await farm.Http.GetFromJsonAsync<JsonElement>(
            $"/api/run-summaries?pipeline=sdk-list&createdAfter={Uri.EscapeDataString(split.ToString("O"))}&branch=main", Wait.Up(Limit));
        Assert.Equal(later.Take(2).Select(r => r.Id).Reverse(), http.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        var empty = await Assert.ThrowsAsync<BuildFarmException>(
            () => farm.Client.ListRunsAsync("sdk-list", createdAfter: split, createdBefore: split.AddSeconds(-1), cancellationToken: Wait.Up(Limit)));
        Assert.Equal(StatusCode.InvalidArgument, empty.Status);
        Assert.Equal("created_after", Assert.Single(empty.Violations).Field);
        using var badTime = await farm.Http.GetAsync("/api/runs?createdAfter=yesterday", Wait.Up(Limit));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badTime.StatusCode);
        Assert.Equal("application/problem+json", badTime.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Approvals_are_decided_through_the_sdk_by_an_operator_only_once()
    {
        // PARALLEL: two independent runs (SUPERSEDED, the default, would replace the older while both wait for the stage).
        await farm.Client.ApplyPipelineAsync("sdk-gate", """
            version: 1
            executionMode: PARALLEL
            stages:
              - name: Gate
                actions:
                  - name: Release
                    category: approval
                    configuration: { summary: "Ship it?" }
            """, "pipeline.yml", Wait.Up(Limit));
        var approved = await farm.Client.TriggerRunAsync("sdk-gate", cancellationToken: Wait.Up(Limit));
        var rejected = await farm.Client.TriggerRunAsync("sdk-gate", cancellationToken: Wait.Up(Limit));
        foreach (var run in new[] { approved, rejected })
        {
            await Wait.UntilAsync(
                async () => (await farm.Client.GetRunAsync(run.Id, Wait.Up(Limit))).Jobs.Any(j => j.Name == "Release" && j.Status == RunStatus.Running), Limit, "the approval to wait");
        }

        var viewer = (await farm.Client.CreateTokenAsync("sdk-viewer", "viewer", cancellationToken: Wait.Up(Limit))).Secret;
        var trigger = (await farm.Client.CreateTokenAsync("sdk-trigger", "trigger", cancellationToken: Wait.Up(Limit))).Secret;
        var operatorToken = (await farm.Client.CreateTokenAsync("sdk-operator", "operator", cancellationToken: Wait.Up(Limit))).Secret;
        foreach (var weak in new[] { viewer, trigger })
        {
            using var client = new BuildFarmClient(farm.GrpcUrl, weak);
            var denied = await Assert.ThrowsAsync<BuildFarmException>(() => client.ApproveAsync(approved.Id, "Gate", "Release", cancellationToken: Wait.Up(Limit)));
            Assert.Equal(StatusCode.PermissionDenied, denied.Status);
        }

        using (var asOperator = new BuildFarmClient(farm.GrpcUrl, operatorToken))
        {
            var decided = await asOperator.ApproveAsync(approved.Id, "Gate", "Release", "ship it", Wait.Up(Limit));
            Assert.Equal(RunStatus.Succeeded, decided.Jobs.Single(j => j.Name == "Release").Status);
            Assert.Matches("^approved by .+: ship it$", decided.Jobs.Single(j => j.Name == "Release").Reason);
            var twice = await Assert.ThrowsAsync<BuildFarmException>(() => asOperator.ApproveAsync(approved.Id, "Gate", "Release", cancellationToken: Wait.Up(Limit)));
            Assert.Equal(StatusCode.FailedPrecondition, twice.Status);
            var unknown = await Assert.ThrowsAsync<BuildFarmException>(() => asOperator.RejectAsync(rejected.Id, "Gate", "Nope", cancellationToken: Wait.Up(Limit)));
            Assert.Equal(StatusCode.NotFound, unknown.Status);
            await asOperator.RejectAsync(rejected.Id, "Gate", "Release", "not today", Wait.Up(Limit));
        }

        Assert.Equal(RunStatus.Succeeded, (await farm.Client.WaitForRunAsync(approved.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit))).Status);
        var failed = await farm.Client.WaitForRunAsync(rejected.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Matches("^rejected by .+: not today$", failed.Jobs.Single(j => j.Name == "Release").Reason);
    }

    [Fact]
    public async Task Pipelines_are_applied_as_versions_read_listed_and_deleted()
    {
        var v1 = await farm.Client.ApplyPipelineAsync("sdk-pipeline", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo one\n", cancellationToken: Wait.Up(Limit));
        var v2 = await farm.Client.ApplyPipelineAsync("sdk-pipeline", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo two\n", cancellationToken: Wait.Up(Limit));

        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Contains("echo one", (await farm.Client.GetPipelineAsync("sdk-pipeline", 1, Wait.Up(Limit))).Definition, StringComparison.Ordinal);
        Assert.Equal(2, (await farm.Client.GetPipelineAsync("sdk-pipeline", cancellationToken: Wait.Up(Limit))).Version);
        Assert.Contains(await farm.Client.ListPipelinesAsync(Wait.Up(Limit)), p => p.Name == "sdk-pipeline" && p.Version == 2);

        await farm.Client.DeletePipelineAsync("sdk-pipeline", Wait.Up(Limit));
        var gone = await Assert.ThrowsAsync<BuildFarmException>(() => farm.Client.GetPipelineAsync("sdk-pipeline", cancellationToken: Wait.Up(Limit)));
        Assert.Equal(StatusCode.NotFound, gone.Status);
        Assert.DoesNotContain(await farm.Client.ListPipelinesAsync(Wait.Up(Limit)), p => p.Name == "sdk-pipeline");
    }
}
