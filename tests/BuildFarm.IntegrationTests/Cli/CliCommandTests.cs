using System.Text.Json;
using BuildFarm.Cli.Commands;

namespace BuildFarm.IntegrationTests.Cli;

public sealed class CliCommandTests(CliFarmFixture farm) : IClassFixture<CliFarmFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Pipeline_apply_then_list_json_names_the_pipeline()
    {
        var file = await farm.WriteBuildspecAsync("cli-apply", "echo applied");
        var (code, output, error) = await RunAsync(c => PipelineApplyCommand.ExecuteAsync(c, file, null, [], CancellationToken.None));
        Assert.True(code == 0, error);
        Assert.Contains("pipeline cli-apply version 1 stored", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(c => PipelineListCommand.ExecuteAsync(c, CancellationToken.None), json: true);
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Contains(json.RootElement.GetProperty("pipelines").EnumerateArray(), p => p.GetProperty("name").GetString() == "cli-apply");
    }

    [Fact]
    public async Task Trigger_then_logs_follow_prints_the_output_and_exits_0_for_a_success()
    {
        await ApplyAsync("cli-ok", "echo hello-from-cli");
        var (code, output, error) = await RunAsync(c => RunTriggerCommand.ExecuteAsync(c, "cli-ok", ["GREETING=hi"], CancellationToken.None), json: true);
        Assert.True(code == 0, error);
        var runId = JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;

        (code, output, _) = await RunAsync(c => LogsCommand.ExecuteAsync(c, runId, follow: true, tail: 0, Cancel()));
        Assert.Equal(0, code);
        Assert.Contains("hello-from-cli", output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(c => RunShowCommand.ExecuteAsync(c, runId, CancellationToken.None));
        Assert.Equal(0, code);
        Assert.Contains("Status:   Succeeded", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_trigger_follow_streams_the_log_to_stdout_and_exits_with_the_runs_result()
    {
        await ApplyAsync("cli-trigger-follow", "echo followed-line && exit 4");
        var (code, output, error) = await RunAsync(c => RunTriggerCommand.ExecuteAsync(c, "cli-trigger-follow", [], Cancel(), follow: true));

        Assert.Equal(1, code);
        Assert.Contains("followed-line", output, StringComparison.Ordinal);
        Assert.DoesNotContain("cli-trigger-follow@1 Queued", output, StringComparison.Ordinal);
        Assert.Contains("of cli-trigger-follow@1 Queued", error, StringComparison.Ordinal);
        Assert.Contains(": Failed", error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', output + error);
    }

    [Fact]
    public async Task Run_show_and_logs_follow_exit_1_for_a_failed_run()
    {
        await ApplyAsync("cli-fail", "exit 3");
        var run = await farm.Client.TriggerRunAsync("cli-fail", cancellationToken: CancellationToken.None);

        var (followCode, _, followError) = await RunAsync(c => LogsCommand.ExecuteAsync(c, run.Id, follow: true, tail: 0, Cancel()));
        Assert.Equal(1, followCode);
        Assert.Contains("Failed", followError, StringComparison.Ordinal);

        var (code, output, _) = await RunAsync(c => RunShowCommand.ExecuteAsync(c, run.Id, CancellationToken.None), json: true);
        Assert.Equal(1, code);
        Assert.Equal("RUN_STATUS_FAILED", JsonDocument.Parse(output).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Run_list_status_Failed_returns_only_failed_runs()
    {
        await ApplyAsync("cli-mixed-ok", "true");
        await ApplyAsync("cli-mixed-fail", "false");
        var ok = await farm.Client.TriggerRunAsync("cli-mixed-ok", cancellationToken: CancellationToken.None);
        var failed = await farm.Client.TriggerRunAsync("cli-mixed-fail", cancellationToken: CancellationToken.None);
        await farm.Client.WaitForRunAsync(ok.Id, TimeSpan.FromMilliseconds(50), Cancel());
        await farm.Client.WaitForRunAsync(failed.Id, TimeSpan.FromMilliseconds(50), Cancel());

        var (code, output, error) = await RunAsync(c => RunListCommand.ExecuteAsync(c, null, "failed", 500, null, CancellationToken.None), json: true);
        Assert.True(code == 0, error);
        var runs = JsonDocument.Parse(output).RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.All(runs, r => Assert.Equal("RUN_STATUS_FAILED", r.GetProperty("status").GetString()));
        Assert.Contains(runs, r => r.GetProperty("id").GetString() == failed.Id);
        Assert.DoesNotContain(runs, r => r.GetProperty("id").GetString() == ok.Id);

        (code, output, _) = await RunAsync(c => RunListCommand.ExecuteAsync(c, "cli-mixed-fail", "Failed", 0, null, CancellationToken.None));
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Equal(lines[0].IndexOf("STATUS", StringComparison.Ordinal), lines[1].IndexOf("Failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_list_pages_return_every_run_exactly_once_newest_first()
    {
        await ApplyAsync("cli-paging", "true");
        var triggered = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            triggered.Add((await farm.Client.TriggerRunAsync("cli-paging", cancellationToken: CancellationToken.None)).Id);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var (code, output, error) = await RunAsync(c => RunListCommand.ExecuteAsync(c, "cli-paging", null, 3, token, CancellationToken.None), json: true);
            Assert.True(code == 0, error);
            var page = JsonDocument.Parse(output).RootElement;
            seen.AddRange(page.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()!));
            token = page.GetProperty("nextPageToken").GetString();
            pages++;
        }
        while (!string.IsNullOrEmpty(token) && pages < 10);

        Assert.Equal(3, pages);
        Assert.Equal(triggered.AsEnumerable().Reverse(), seen);
    }

    [Fact]
    public async Task Run_list_refuses_a_page_size_over_500_with_exit_2_and_the_reason()
    {
        var (code, _, error) = await RunAsync(c => RunListCommand.ExecuteAsync(c, null, null, 501, null, CancellationToken.None));
        Assert.Equal(2, code);
        Assert.Contains("InvalidArgument", error, StringComparison.Ordinal);
        Assert.Contains("page_size", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_command_without_a_server_exits_2_and_says_how_to_give_one()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ServerCommands.ExecuteAsync(["run", "list"], environmentServer: null, output, error, TimeProvider.System, CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Contains("BUILDFARM_SERVER", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_line_arguments_reach_the_command_and_an_unknown_run_is_exit_2()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ServerCommands.ExecuteAsync(
            ["run", "show", Guid.NewGuid().ToString(), "--server", farm.Server.ToString()], environmentServer: null, output, error, TimeProvider.System, CancellationToken.None);
        Assert.Equal(2, code);
        Assert.Contains("NotFound", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_create_prints_only_the_token_list_shows_it_and_revoke_marks_it()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ServerCommands.ExecuteAsync(
            ["token", "create", "ci-bot", "--role", "trigger", "--server", farm.Server.ToString()], environmentServer: null, output, error, TimeProvider.System, CancellationToken.None);
        Assert.True(code == 0, error.ToString());
        var token = output.ToString().Trim();
        Assert.StartsWith("bf_", token, StringComparison.Ordinal);
        Assert.Contains("shown only now", error.ToString(), StringComparison.Ordinal);

        var (listCode, listed, _) = await RunAsync(c => TokenCommands.ListAsync(c, CancellationToken.None), json: true);
        Assert.Equal(0, listCode);
        var id = JsonDocument.Parse(listed).RootElement.GetProperty("tokens").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "ci-bot").GetProperty("id").GetString()!;
        Assert.DoesNotContain(token[^20..], listed, StringComparison.Ordinal);

        var (revokeCode, revoked, _) = await RunAsync(c => TokenCommands.RevokeAsync(c, id, CancellationToken.None));
        Assert.Equal(0, revokeCode);
        Assert.Contains($"revoked {id}", revoked, StringComparison.Ordinal);
        var (_, table, _) = await RunAsync(c => TokenCommands.ListAsync(c, CancellationToken.None));
        Assert.Matches(@"ci-bot\s+trigger\s+\S.*revoked", table);

        var (badCode, _, badError) = await RunAsync(c => TokenCommands.CreateAsync(c, "x", "wizard", 0, CancellationToken.None));
        Assert.Equal(2, badCode);
        Assert.Contains("role", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Artifacts_lists_a_runs_zips_and_downloads_one_checked_and_an_unknown_name_exits_2()
    {
        await farm.Client.ApplyPipelineAsync("cli-artifacts", """
            version: 0.2
            phases:
              build:
                commands:
                  - echo built > app.txt
            artifacts:
              files:
                - app.txt
            """, cancellationToken: CancellationToken.None);
        var run = await farm.Client.TriggerRunAsync("cli-artifacts", cancellationToken: CancellationToken.None);
        await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Cancel());

        var (code, output, error) = await RunAsync(c => ArtifactsCommand.ListAsync(c, run.Id, CancellationToken.None), json: true);
        Assert.True(code == 0, error);
        var listed = Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("artifacts").EnumerateArray());
        Assert.Equal("primary", listed.GetProperty("name").GetString());
        var sha256 = listed.GetProperty("sha256").GetString();

        (code, output, _) = await RunAsync(c => ArtifactsCommand.ListAsync(c, run.Id, CancellationToken.None));
        Assert.Equal(0, code);
        Assert.Contains($"cli-artifacts/{run.Id}/primary.zip", output, StringComparison.Ordinal);

        var target = Path.Combine(Path.GetTempPath(), $"bf-cli-artifact-{Guid.NewGuid():N}.zip");
        try
        {
            (code, output, error) = await RunAsync(c => ArtifactsCommand.DownloadAsync(c, run.Id, "primary", target, Cancel()));
            Assert.True(code == 0, error);
            Assert.Contains("(checked)", output, StringComparison.Ordinal);
            Assert.Equal(sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(target))));
        }
        finally
        {
            File.Delete(target);
        }

        (code, _, error) = await RunAsync(c => ArtifactsCommand.DownloadAsync(c, run.Id, "nope", target, Cancel()));
        Assert.Equal(2, code);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task Pipeline_delete_removes_it_from_the_list_and_an_unknown_name_exits_2()
    {
        await ApplyAsync("cli-delete", "true");
        var (code, output, error) = await RunAsync(c => PipelineDeleteCommand.ExecuteAsync(c, "cli-delete", CancellationToken.None));
        Assert.True(code == 0, error);
        Assert.Contains("pipeline cli-delete deleted", output, StringComparison.Ordinal);
        Assert.DoesNotContain(await farm.Client.ListPipelinesAsync(CancellationToken.None), p => p.Name == "cli-delete");

        (code, _, error) = await RunAsync(c => PipelineDeleteCommand.ExecuteAsync(c, "cli-delete", CancellationToken.None));
        Assert.Equal(2, code);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workers_lists_the_embedded_worker_and_drain_then_enable_change_its_mode()
    {
        // The embedded worker is listed from its first heartbeat on.
        JsonElement worker = default;
        for (var i = 0; i < 200 && worker.ValueKind == JsonValueKind.Undefined; i++)
        {
            var (listCode, listOutput, _) = await RunAsync(c => WorkersCommand.ListAsync(c, CancellationToken.None), json: true);
            Assert.Equal(0, listCode);
            var workers = JsonDocument.Parse(listOutput).RootElement.GetProperty("workers");
            if (workers.GetArrayLength() > 0)
            {
                worker = workers[0].Clone();
            }
            else
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal("WORKER_MODE_ACTIVE", worker.GetProperty("mode").GetString());
        var id = worker.GetProperty("id").GetString()!;
        try
        {
            var (code, output, error) = await RunAsync(c => WorkersCommand.SetAsync(c, "drain", id, CancellationToken.None));
            Assert.True(code == 0, error);
            Assert.Contains($"worker {id} is draining", output, StringComparison.Ordinal);
            (code, output, _) = await RunAsync(c => WorkersCommand.ListAsync(c, CancellationToken.None));
            Assert.Equal(0, code);
            Assert.Contains("draining", output, StringComparison.Ordinal);
        }
        finally
        {
            var (code, output, _) = await RunAsync(c => WorkersCommand.SetAsync(c, "enable", id, CancellationToken.None), json: true);
            Assert.Equal(0, code);
            Assert.Equal("WORKER_MODE_ACTIVE", JsonDocument.Parse(output).RootElement.GetProperty("mode").GetString());
        }
    }

    [Fact]
    public async Task Cache_list_and_purge_go_through_the_coordinator_when_a_server_is_set()
    {
        await farm.Client.ApplyPipelineAsync("cli-cache", """
            version: 0.2
            phases:
              build:
                commands:
                  - mkdir -p ~/.deps && echo dep > ~/.deps/dep.txt
            cache:
              key: cli-cache-$DEPS
              paths:
                - /root/.deps/**/*
            """, cancellationToken: CancellationToken.None);
        foreach (var deps in new[] { "1", "1", "2" })
        {
            var run = await farm.Client.TriggerRunAsync("cli-cache", new Dictionary<string, string> { ["DEPS"] = deps }, cancellationToken: CancellationToken.None);
            Assert.Equal(Protos.V1.RunStatus.Succeeded, (await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Cancel())).Status);
        }

        // No Cache__* settings are given: the entries can only have come from the coordinator.
        var options = new BuildFarm.Storage.Caching.CacheOptions { FileSystemRoot = Path.Combine(Path.GetTempPath(), $"bf-nowhere-{Guid.NewGuid():N}") };
        var (code, output, error) = await CacheAsync(options, "cache", "list", "--prefix", "cli-cache-", "--json");
        Assert.True(code == 0, error);
        var entries = JsonDocument.Parse(output).RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["cli-cache-2", "cli-cache-1"], entries.Select(e => e.GetProperty("key").GetString()));
        Assert.Equal("1", entries[1].GetProperty("hits").GetString());

        (code, output, _) = await CacheAsync(options, "cache", "list", "--prefix", "cli-cache-");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^cli-cache-1\s+0\.0 MB\s+1\s+.+\s+1$", output);

        (code, output, error) = await CacheAsync(options, "cache", "purge", "--key", "cli-cache-1", "--json");
        Assert.True(code == 0, error);
        Assert.Equal(["cli-cache-1"], JsonDocument.Parse(output).RootElement.GetProperty("purgedKeys").EnumerateArray().Select(k => k.GetString()));

        (code, _, error) = await CacheAsync(options, "cache", "purge", "--key", "cli-cache-1");
        Assert.Equal(2, code);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);
        (code, _, error) = await CacheAsync(options, "cache", "list", "--prefix", "bad/prefix");
        Assert.Equal(2, code);
        Assert.Contains("InvalidArgument", error, StringComparison.Ordinal);
        (code, _, error) = await CacheAsync(options, "cache", "purge");
        Assert.Equal(2, code);
        Assert.Contains("exactly one of", error, StringComparison.Ordinal);

        (code, output, _) = await CacheAsync(options, "cache", "purge", "--prefix", "cli-cache-");
        Assert.Equal(0, code);
        Assert.Contains("purged cli-cache-2", output, StringComparison.Ordinal);
        Assert.Empty((await farm.Client.ListCacheEntriesAsync("cli-cache-", cancellationToken: CancellationToken.None)).Entries);
    }

    [Fact]
    public async Task Run_approve_and_reject_decide_a_waiting_approval_and_a_second_decision_exits_2()
    {
        // PARALLEL: the two runs are independent; in the default SUPERSEDED mode the newer would replace the older
        // while both wait in front of the Gate stage.
        await farm.Client.ApplyPipelineAsync("cli-gate", """
            version: 1
            executionMode: PARALLEL
            stages:
              - name: Gate
                actions:
                  - name: Release
                    category: approval
            """, "pipeline.yml", CancellationToken.None);
        var approved = await farm.Client.TriggerRunAsync("cli-gate", cancellationToken: CancellationToken.None);
        var rejected = await farm.Client.TriggerRunAsync("cli-gate", cancellationToken: CancellationToken.None);
        foreach (var run in new[] { approved, rejected })
        {
            for (var i = 0; i < 200 && !(await farm.Client.GetRunAsync(run.Id, CancellationToken.None)).Jobs.Any(j => j.Name == "Release" && j.Status == Protos.V1.RunStatus.Running); i++)
            {
                await Task.Delay(50);
            }
        }

        var (code, output, error) = await ServerAsync("run", "approve", approved.Id, "Gate", "Release", "--comment", "looks good");
        Assert.True(code == 0, error);
        Assert.Matches(@"^Gate/Release Succeeded \(approved by .+: looks good\); run \S+ Succeeded", output);

        (code, _, error) = await ServerAsync("run", "approve", approved.Id, "Gate", "Release");
        Assert.Equal(2, code);
        Assert.Contains("FailedPrecondition", error, StringComparison.Ordinal);

        (code, output, error) = await ServerAsync("run", "reject", rejected.Id, "Gate", "Release", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("RUN_STATUS_FAILED", JsonDocument.Parse(output).RootElement.GetProperty("status").GetString());

        (code, _, error) = await ServerAsync("run", "approve", approved.Id, "Gate");
        Assert.Equal(2, code);
        Assert.Contains("unknown command", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_trigger_revision_and_run_list_branch_and_since_narrow_the_list()
    {
        await ApplyAsync("cli-branches", "echo \"at $CODEBUILD_SOURCE_VERSION\"");
        var (code, output, error) = await ServerAsync("run", "trigger", "cli-branches", "--revision", "refs/heads/topic", "--json");
        Assert.True(code == 0, error);
        var topic = JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;
        var other = await farm.Client.TriggerRunAsync("cli-branches", sourceVersion: "refs/heads/main", cancellationToken: CancellationToken.None);
        await farm.Client.WaitForRunAsync(topic, TimeSpan.FromMilliseconds(50), Cancel());
        Assert.Contains("at refs/heads/topic", System.Text.Encoding.UTF8.GetString(await farm.Client.GetLogAsync(topic, CancellationToken.None)), StringComparison.Ordinal);

        (code, output, error) = await ServerAsync("run", "list", "--pipeline", "cli-branches", "--branch", "topic", "--since", "1h", "--json");
        Assert.True(code == 0, error);
        Assert.Equal([topic], JsonDocument.Parse(output).RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetString()));

        (code, output, _) = await ServerAsync("run", "list", "--pipeline", "cli-branches", "--until", "2000-01-01T00:00:00Z", "--json");
        Assert.Equal(0, code);
        Assert.Empty(JsonDocument.Parse(output).RootElement.GetProperty("runs").EnumerateArray());
        Assert.NotNull(other);

        (code, _, error) = await ServerAsync("run", "list", "--since", "last tuesday");
        Assert.Equal(2, code);
        Assert.Contains("--since last tuesday", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_commands_go_through_the_sdk_and_a_deployment_no_agent_matches_exits_1_with_the_reason()
    {
        var (code, output, error) = await DeployAsync("deploy", "group", "cli-app", "cli-web", "--tag", "role=web", "--json");
        Assert.True(code == 0, error);
        var group = JsonDocument.Parse(output).RootElement;
        Assert.Equal(("cli-app", "cli-web"), (group.GetProperty("application").GetString(), group.GetProperty("name").GetString()));
        Assert.Equal("web", group.GetProperty("tagFilters").GetProperty("role").GetString());

        (code, output, error) = await DeployAsync("deploy", "/srv/nothing.zip", "--application", "cli-app", "--group", "cli-web", "--json");
        Assert.Equal(1, code);
        var deployment = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Failed", deployment.GetProperty("status").GetString());
        Assert.Contains("No deploy agent matches", deployment.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var id = deployment.GetProperty("id").GetString()!;
        Assert.Contains($"deployment {id}", error, StringComparison.Ordinal);

        (code, output, _) = await DeployAsync("deploy", "show", id);
        Assert.Equal(1, code);
        Assert.Contains($"{id}  cli-app/cli-web", output, StringComparison.Ordinal);
        Assert.Contains("Failed", output, StringComparison.Ordinal);

        (code, _, error) = await DeployAsync("deploy", "show", Guid.NewGuid().ToString());
        Assert.Equal(2, code);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);
        (code, _, error) = await DeployAsync("deploy", "group", "cli-app");
        Assert.Equal(2, code);
        Assert.Contains("usage", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_show_run_cancel_and_run_retry_exit_with_what_happened()
    {
        await ApplyAsync("cli-cancel", "echo started && sleep 60");
        var (code, output, error) = await ServerAsync("pipeline", "show", "cli-cancel");
        Assert.True(code == 0, error);
        Assert.Contains("Pipeline: cli-cancel", output, StringComparison.Ordinal);
        Assert.Contains("sleep 60", output, StringComparison.Ordinal);
        (code, _, error) = await ServerAsync("pipeline", "show", "cli-no-such");
        Assert.Equal(2, code);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);

        var run = await farm.Client.TriggerRunAsync("cli-cancel", cancellationToken: CancellationToken.None);
        (code, _, error) = await ServerAsync("run", "retry", run.Id);
        Assert.Equal(2, code);
        Assert.Contains("FailedPrecondition", error, StringComparison.Ordinal);

        (code, output, error) = await ServerAsync("run", "cancel", run.Id, "--json");
        Assert.True(code == 0, error);
        Assert.Contains(JsonDocument.Parse(output).RootElement.GetProperty("status").GetString(), new[] { "RUN_STATUS_CANCELLING", "RUN_STATUS_CANCELLED" });
        Assert.Equal(Protos.V1.RunStatus.Cancelled, (await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), Cancel())).Status);

        (code, output, error) = await ServerAsync("run", "retry", run.Id);
        Assert.True(code == 0, error);
        Assert.Contains($"(retry of {run.Id}, cli-cancel version 1)", output, StringComparison.Ordinal);
        var retry = output.Split(' ')[1];
        (code, _, _) = await ServerAsync("run", "cancel", retry);
        Assert.Equal(0, code);
    }

    private async Task<(int Code, string Output, string Error)> DeployAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await DeployCommands.ExecuteAsync(CommandLine.Parse(args), farm.Server.ToString(), null, output, error, TimeProvider.System, Cancel());
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Output, string Error)> ServerAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ServerCommands.ExecuteAsync([.. args, "--server", farm.Server.ToString()], environmentServer: null, output, error, TimeProvider.System, Cancel());
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Output, string Error)> CacheAsync(BuildFarm.Storage.Caching.CacheOptions options, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CacheCommand.ExecuteAsync(args, farm.Server.ToString(), null, options, output, error, TimeProvider.System, Cancel());
        return (code, output.ToString(), error.ToString());
    }

    private async Task ApplyAsync(string name, string command)
    {
        var file = await farm.WriteBuildspecAsync(name, command);
        await farm.Client.ApplyPipelineAsync(name, await File.ReadAllTextAsync(file), cancellationToken: CancellationToken.None);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(Func<CliContext, Task<int>> command, bool json = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await command(farm.Context(output, error, json));
        return (code, output.ToString(), error.ToString());
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(Timeout).Token;
}
