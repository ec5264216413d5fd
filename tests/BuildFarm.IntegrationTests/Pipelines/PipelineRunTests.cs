using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Pipelines;

/// <summary>
/// Pipeline files on the distributed farm (real PostgreSQL, RabbitMQ, a real git repository): a signed push
/// checks out the pushed commit, builds it, hands the build's artifact to the next run order, and a failed
/// action stops the run before later stages.
/// </summary>
public sealed class PipelineRunTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private const string Secret = "pipeline-webhook-secret";

    private const string BuildSpec = """
        version: 0.2
        phases:
          build:
            commands:
              - mkdir -p out && { cat version.txt; echo "built from $CODEBUILD_SRC_DIR for $DEPLOY_ENV"; } > out/result.txt
        artifacts:
          files: ['**/*']
          base-directory: out
        """;

    private const string CheckSpec = """
        version: 0.2
        phases:
          build:
            commands:
              - grep -q "version one" "$CODEBUILD_SRC_DIR_Bin/result.txt"
              - grep -q "for staging" "$CODEBUILD_SRC_DIR_Bin/result.txt"
              - test "$LEVEL" = strict
        """;

    [Fact]
    public async Task A_signed_push_checks_out_the_pushed_commit_builds_it_and_passes_the_artifact_on()
    {
        using var repository = GitRepository.Create();
        var first = repository.Commit("one", ("version.txt", "version one\n"), ("buildspec.yml", BuildSpec), ("check.yml", CheckSpec));
        repository.Commit("two", ("version.txt", "version two\n"));
        await farm.Http.PutAsJsonAsync("/api/secrets/webhooks/github/three-stages", new { value = Secret }, Wait.Up(Limit));
        await farm.Client.ApplyPipelineAsync("three-stages", Pipeline(repository.Url), "pipeline.yml", Wait.Up(Limit));

        var response = await SendPushAsync("three-stages", first);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        var run = await farm.Client.WaitForRunAsync(runId, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.Reason} / {string.Join("; ", run.Jobs.Select(j => $"{j.Stage}/{j.Name} {j.Status} {j.Reason}"))}");
        Assert.Equal(
            ["Source/Checkout 0 1 source Succeeded", "Build/Compile 1 1 build Succeeded", "Build/Check 1 2 test Succeeded", "Verify/Again 2 1 test Succeeded"],
            run.Jobs.OrderBy(j => j.StageIndex).ThenBy(j => j.RunOrder).Select(j => $"{j.Stage}/{j.Name} {j.StageIndex} {j.RunOrder} {j.Category} {FromProto(j.Status)}"));
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(runId, Wait.Up(Limit)));
        Assert.Contains($"Checked out {repository.Url} at {first}", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_action_fails_its_stage_and_the_run_and_later_stages_never_start()
    {
        using var repository = GitRepository.Create();
        repository.Commit("one", ("version.txt", "version one\n"), ("buildspec.yml", BuildSpec.Replace("mkdir -p out", "exit 3; mkdir -p out", StringComparison.Ordinal)), ("check.yml", CheckSpec));
        await farm.Client.ApplyPipelineAsync("fails-early", Pipeline(repository.Url), "pipeline.yml", Wait.Up(Limit));

        var queued = await farm.Client.TriggerRunAsync("fails-early", cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(
            ["Checkout Succeeded", "Compile Failed", "Check Waiting", "Again Waiting"],
            run.Jobs.OrderBy(j => j.StageIndex).ThenBy(j => j.RunOrder).Select(j => $"{j.Name} {FromProto(j.Status)}"));
    }

    [Theory]
    [InlineData("approve", "Succeeded", "Check Succeeded")]
    [InlineData("reject", "Failed", "Check Waiting")]
    public async Task An_approval_holds_its_stage_until_a_person_decides(string decision, string runStatus, string after)
    {
        using var repository = GitRepository.Create();
        repository.Commit("one", ("check.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - test -f check.yml\n"));
        var name = $"gated-{decision}";
        await farm.Client.ApplyPipelineAsync(name, $$"""
            version: 1
            stages:
              - name: Source
                actions:
                  - name: Checkout
                    category: source
                    configuration: { repository: "{{repository.Url}}" }
                    outputArtifacts: [Src]
              - name: Gate
                actions:
                  - name: Release
                    category: approval
                    configuration: { summary: "Ship it?" }
              - name: After
                actions:
                  - name: Check
                    category: test
                    inputArtifacts: [Src]
                    configuration: { buildspec: check.yml }
            """, "pipeline.yml", Wait.Up(Limit));
        var queued = await farm.Client.TriggerRunAsync(name, cancellationToken: Wait.Up(Limit));
        await Wait.UntilAsync(async () => (await farm.Client.GetRunAsync(queued.Id, Wait.Up(Limit))).Jobs.Any(j => j.Name == "Release" && j.Status == RunStatus.Running), Limit, "the approval to wait");
        Assert.Equal(RunStatus.Waiting, (await farm.Client.GetRunAsync(queued.Id, Wait.Up(Limit))).Jobs.Single(j => j.Name == "Check").Status);

        var response = await farm.Http.PostAsJsonAsync($"/api/runs/{queued.Id}/approvals/Gate/Release", new { decision, comment = "looked at it" }, Wait.Up(Limit));
        var again = await farm.Http.PostAsJsonAsync($"/api/runs/{queued.Id}/approvals/Gate/Release", new { decision, comment = "twice" }, Wait.Up(Limit));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(runStatus, FromProto(run.Status));
        Assert.Equal(after, run.Jobs.Where(j => j.Name == "Check").Select(j => $"{j.Name} {FromProto(j.Status)}").Single());
        var release = run.Jobs.Single(j => j.Name == "Release");
        Assert.Matches($"^{(decision == "approve" ? "approved" : "rejected")} by .+: looked at it$", release.Reason);
    }

    [Fact]
    public async Task A_failed_stage_is_retried_in_the_same_run_and_the_run_goes_on_from_there()
    {
        using var repository = GitRepository.Create();
        // Fails on its first attempt only: CODEBUILD_BUILD_NUMBER is the action's attempt.
        repository.Commit("one", ("flaky.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - test \"$CODEBUILD_BUILD_NUMBER\" -ge 2\n"),
            ("ok.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - test -f flaky.yml\n"));
        await farm.Client.ApplyPipelineAsync("retried", $$"""
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
              - name: After
                actions:
                  - name: Again
                    category: test
                    inputArtifacts: [Src]
                    configuration: { buildspec: ok.yml }
            """, "pipeline.yml", Wait.Up(Limit));
        var queued = await farm.Client.TriggerRunAsync("retried", cancellationToken: Wait.Up(Limit));
        var failed = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Failed, failed.Status);
        Assert.Equal(RunStatus.Waiting, failed.Jobs.Single(j => j.Name == "Again").Status);

        var retry = await farm.Http.PostAsync($"/api/runs/{queued.Id}/stages/Build/retry?mode=failed", null, Wait.Up(Limit));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(["Checkout 1 Succeeded", "Flaky 2 Succeeded", "Again 1 Succeeded"],
            run.Jobs.OrderBy(j => j.StageIndex).Select(j => $"{j.Name} {j.Attempt} {FromProto(j.Status)}"));
        Assert.Equal(HttpStatusCode.Conflict, (await farm.Http.PostAsync($"/api/runs/{queued.Id}/stages/Build/retry", null, Wait.Up(Limit))).StatusCode);
    }

    [Fact]
    public async Task A_signed_push_runs_source_build_and_deploy_to_the_agents_and_succeeds_once_their_hooks_ran()
    {
        using var repository = GitRepository.Create();
        var pushed = repository.Commit("one",
            ("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"$(cat release.txt) built by $CODEBUILD_BUILD_ID\" > version.txt\nartifacts:\n  files: [appspec.yml, hook.sh, version.txt]\n"),
            ("release.txt", "release one"),
            ("appspec.yml", "version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /opt/pipeapp\nhooks:\n  AfterInstall:\n    - location: hook.sh\n      timeout: 30\n"),
            ("hook.sh", "#!/bin/sh\nset -e\nmkdir -p \"$BUILDFARM_ROOT/var/pipeapp\"\necho \"hook saw $(cat \"$BUILDFARM_ROOT/opt/pipeapp/version.txt\")\" > \"$BUILDFARM_ROOT/var/pipeapp/hook.txt\"\n"));
        // The branch moved on after the push: the run must deploy the pushed commit, not the head.
        repository.Commit("two", ("release.txt", "release two"));
        var roots = new[] { Directory.CreateTempSubdirectory("bf-it-pipeagent-").FullName, Directory.CreateTempSubdirectory("bf-it-pipeagent-").FullName };
        try
        {
            await farm.StartAgentAsync("pipehost1", "shipped", roots[0], Wait.Up(Limit));
            await farm.StartAgentAsync("pipehost2", "shipped", roots[1], Wait.Up(Limit));
            Assert.True((await farm.Http.PutAsJsonAsync("/api/applications/pipeapp", new { }, Wait.Up(Limit))).IsSuccessStatusCode);
            Assert.True((await farm.Http.PutAsJsonAsync("/api/applications/pipeapp/groups/shipped", new { }, Wait.Up(Limit))).IsSuccessStatusCode);
            await Wait.UntilAsync(async () => (await farm.Http.GetFromJsonAsync<JsonElement>("/api/agents", Wait.Up(Limit))).EnumerateArray()
                .Count(a => a.GetProperty("instance").GetString() is "pipehost1" or "pipehost2" && !a.GetProperty("silent").GetBoolean()) == 2, Limit, "the agents to register");
            await SignedPush.StoreSecretAsync(farm.Http, "deploys", Secret, Wait.Up(Limit));
            await farm.Client.ApplyPipelineAsync("deploys", $$"""
                version: 1
                stages:
                  - name: Source
                    actions:
                      - name: Checkout
                        category: source
                        configuration: { repository: "{{repository.Url}}" }
                        outputArtifacts: [SourceArtifact]
                  - name: Build
                    actions:
                      - name: Compile
                        category: build
                        inputArtifacts: [SourceArtifact]
                        outputArtifacts: [BuildArtifact]
                  - name: Deploy
                    actions:
                      - name: Ship
                        category: deploy
                        inputArtifacts: [BuildArtifact]
                        configuration: { application: pipeapp, deploymentGroup: shipped, deploymentConfig: AllAtOnce }
                """, "pipeline.yml", Wait.Up(Limit));

            var runId = (await SignedPush.RunAsync(farm.Http, "deploys", Secret, pushed, Wait.Up(Limit))).ToString();
            var run = await farm.Client.WaitForRunAsync(runId, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

            Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.Reason} / {string.Join("; ", run.Jobs.Select(j => $"{j.Stage}/{j.Name} {j.Status} {j.Reason}"))}");
            Assert.Equal(["Source/Checkout Succeeded", "Build/Compile Succeeded", "Deploy/Ship Succeeded"],
                run.Jobs.OrderBy(j => j.StageIndex).Select(j => $"{j.Stage}/{j.Name} {FromProto(j.Status)}"));
            var ship = run.Jobs.Single(j => j.Name == "Ship");
            Assert.Matches("^deployment [0-9a-f-]{36} succeeded$", ship.Reason);
            var deploymentId = ship.Reason.Split(' ')[1];
            var deployment = await farm.Http.GetFromJsonAsync<JsonElement>($"/api/deployments/{deploymentId}", Wait.Up(Limit));
            Assert.Equal(("Succeeded", $"deploys/{runId}/BuildArtifact.zip"), (deployment.GetProperty("status").GetString(), deployment.GetProperty("revision").GetString()));
            Assert.Equal(2, deployment.GetProperty("instances").GetArrayLength());
            foreach (var root in roots)
            {
                Assert.Matches("^hook saw release one built by .+\n$", await File.ReadAllTextAsync(Path.Combine(root, "var/pipeapp/hook.txt"), Wait.Up(Limit)));
            }
            var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(runId, Wait.Up(Limit)));
            Assert.Contains($"Checked out {repository.Url} at {pushed}", log, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var root in roots)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData("agentless", "deployment .+ failed: No deploy agent matches the group's tags \\(deployment-group=agentless\\)")]
    [InlineData("unknown", "^the deployment could not be created: Deployment group 'pipeapp/unknown' was not found\\.$")]
    public async Task A_deploy_action_whose_deployment_cannot_start_fails_its_stage_and_the_run_with_the_reason(string group, string reasonPattern)
    {
        using var repository = GitRepository.Create();
        repository.Commit("one", ("appspec.yml", "version: 0.0\nos: linux\n"));
        // No agent in this farm: the group's tag filter (deployment-group=agentless) matches nobody.
        Assert.True((await farm.Http.PutAsJsonAsync("/api/applications/pipeapp", new { }, Wait.Up(Limit))).IsSuccessStatusCode);
        Assert.True((await farm.Http.PutAsJsonAsync("/api/applications/pipeapp/groups/agentless", new { }, Wait.Up(Limit))).IsSuccessStatusCode);
        var name = $"deploys-{group}";
        await farm.Client.ApplyPipelineAsync(name, $$"""
            version: 1
            stages:
              - name: Source
                actions:
                  - name: Checkout
                    category: source
                    configuration: { repository: "{{repository.Url}}" }
                    outputArtifacts: [Src]
              - name: Deploy
                actions:
                  - name: Ship
                    category: deploy
                    inputArtifacts: [Src]
                    configuration: { application: pipeapp, deploymentGroup: {{group}} }
              - name: After
                actions:
                  - name: Never
                    category: test
                    inputArtifacts: [Src]
            """, "pipeline.yml", Wait.Up(Limit));

        var queued = await farm.Client.TriggerRunAsync(name, cancellationToken: Wait.Up(Limit));
        var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal(["Checkout source Succeeded", "Ship deploy Failed", "Never test Waiting"],
            run.Jobs.OrderBy(j => j.StageIndex).Select(j => $"{j.Name} {j.Category} {FromProto(j.Status)}"));
        var ship = run.Jobs.Single(j => j.Name == "Ship");
        Assert.Matches(reasonPattern, ship.Reason);
        if (group == "agentless")
        {
            // The deployment was made for the artifact the source action stored, and failed at once.
            var deploymentId = System.Text.RegularExpressions.Regex.Match(ship.Reason, "^deployment ([0-9a-f-]{36})").Groups[1].Value;
            var deployment = await farm.Http.GetFromJsonAsync<JsonElement>($"/api/deployments/{deploymentId}", Wait.Up(Limit));
            Assert.Equal("Failed", deployment.GetProperty("status").GetString());
            Assert.Equal($"{name}/{queued.Id}/Src.zip", deployment.GetProperty("revision").GetString());
        }
    }

    [Fact]
    public async Task An_invalid_pipeline_file_is_refused_with_every_error_located()
    {
        var response = await farm.Http.PutAsync("/api/pipelines/broken?fileName=pipeline.yml",
            new StringContent("version: 1\nstages:\n  - name: B\n    actions:\n      - name: C\n        category: biuld\n        runOrder: 0\n", Encoding.UTF8, "application/yaml"),
            Wait.Up(Limit));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()
            .Select(e => $"{e.GetProperty("file").GetString()}:{e.GetProperty("line").GetInt32()}:{e.GetProperty("column").GetInt32()} {e.GetProperty("field").GetString()}")
            .ToList();
        Assert.Equal(["pipeline.yml:6:19 stages[0].actions[0].category", "pipeline.yml:7:19 stages[0].actions[0].runOrder"], errors);
    }

    private static string Pipeline(Uri repository) => $$"""
        version: 1
        executionMode: PARALLEL
        variables:
          - name: DEPLOY_ENV
            default: staging
        stages:
          - name: Source
            actions:
              - name: Checkout
                category: source
                configuration: { repository: "{{repository}}", branch: main, cloneDepth: 5 }
                outputArtifacts: [Src]
          - name: Build
            actions:
              - name: Compile
                category: build
                inputArtifacts: [Src]
                outputArtifacts: [Bin]
              - name: Check
                category: test
                runOrder: 2
                inputArtifacts: [Src, Bin]
                configuration:
                  buildspec: check.yml
                  environmentVariables: { LEVEL: strict }
          - name: Verify
            actions:
              - name: Again
                category: test
                inputArtifacts: [Src, Bin]
                configuration: { buildspec: check.yml, environmentVariables: { LEVEL: strict } }
        """;

    private static string FromProto(RunStatus status) => status switch
    {
        RunStatus.Succeeded => "Succeeded",
        RunStatus.Failed => "Failed",
        RunStatus.Waiting => "Waiting",
        RunStatus.Cancelled => "Cancelled",
        RunStatus.Queued => "Queued",
        RunStatus.Running => "Running",
        _ => status.ToString(),
    };

    private Task<HttpResponseMessage> SendPushAsync(string pipeline, string commit) =>
        SignedPush.SendAsync(farm.Http, pipeline, Secret, commit, Wait.Up(Limit));
}
