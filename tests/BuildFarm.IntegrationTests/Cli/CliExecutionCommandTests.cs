using System.Text;
using BuildFarm.Cli.Commands;
using BuildFarm.IntegrationTests.Pipelines;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Cli;

/// <summary>
/// `run approve|reject`, `run stop [--abandon]` and `run trigger --revision` on the embedded farm (SQLite, in-memory
/// bus), through the same routing as `./buildfarm`, with a real git repository over file://.
/// </summary>
public sealed class CliExecutionCommandTests(CliFarmFixture farm) : IClassFixture<CliFarmFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("approve", "Succeeded", "Done Succeeded")]
    [InlineData("reject", "Failed", "Done Waiting")]
    public async Task Run_approve_and_reject_decide_a_waiting_approval(string verb, string runStatus, string after)
    {
        using var repository = GitRepository.Create();
        repository.Commit("one", ("done.yml", TestPipelines.DoneSpec));
        var name = $"cli-{verb}";
        var run = await StartGatedAsync(name, repository);

        var (code, output, error) = await RunAsync(["run", verb, run, "Gate", "Release", "--comment", "seen on staging"]);

        Assert.True(code == 0, error);
        Assert.Contains($"Gate/Release {(verb == "approve" ? "Succeeded (approved" : "Failed (rejected")} by ", output, StringComparison.Ordinal);
        var done = await farm.Client.WaitForRunAsync(run, TimeSpan.FromMilliseconds(50), Cancel());
        Assert.Equal(runStatus, done.Status.ToString());
        Assert.Equal(after, done.Jobs.Where(j => j.Name == "Done").Select(j => $"{j.Name} {j.Status}").Single());
        Assert.EndsWith(": seen on staging", done.Jobs.Single(j => j.Name == "Release").Reason, StringComparison.Ordinal);

        (code, _, error) = await RunAsync(["run", verb, run, "Gate", "Release"]);
        Assert.Equal(2, code);
        Assert.Contains("FailedPrecondition", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_stop_waits_for_the_approval_while_stop_abandon_ends_it()
    {
        using var repository = GitRepository.Create();
        repository.Commit("one", ("done.yml", TestPipelines.DoneSpec));
        var waited = await StartGatedAsync("cli-stop-wait", repository);
        var abandoned = await StartGatedAsync("cli-stop-abandon", repository);

        var (code, output, error) = await RunAsync(["run", "stop", waited, "--reason", "freeze"]);
        Assert.True(code == 0, error);
        Assert.Contains($"run {waited} Running", output, StringComparison.Ordinal);
        Assert.Contains("After/Done Cancelled: freeze", output, StringComparison.Ordinal);
        (code, output, error) = await RunAsync(["run", "stop", abandoned, "--abandon"]);
        Assert.True(code == 0, error);
        Assert.Contains($"run {abandoned} Cancelled", output, StringComparison.Ordinal);

        // Stop and wait: the approval still waits for its person; once decided, nothing after it runs.
        Assert.Equal(RunStatus.Running, (await farm.Client.GetRunAsync(waited, Cancel())).Jobs.Single(j => j.Name == "Release").Status);
        (code, _, error) = await RunAsync(["run", "approve", waited, "Gate", "Release"]);
        Assert.True(code == 0, error);
        var stopped = await farm.Client.WaitForRunAsync(waited, TimeSpan.FromMilliseconds(50), Cancel());
        Assert.Equal(RunStatus.Cancelled, stopped.Status);
        Assert.Equal(["Checkout Succeeded", "Release Succeeded", "Done Cancelled"], stopped.Jobs.OrderBy(j => j.StageIndex).Select(j => $"{j.Name} {j.Status}"));
        (code, _, error) = await RunAsync(["run", "stop", waited]);
        Assert.Equal(2, code);
        Assert.Contains("FailedPrecondition", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_trigger_revision_checks_out_that_commit_instead_of_the_branch_head()
    {
        using var repository = GitRepository.Create();
        var first = repository.Commit("one", ("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - grep -q one version.txt\n"), ("version.txt", "one\n"));
        repository.Commit("two", ("version.txt", "two\n"));
        await farm.Client.ApplyPipelineAsync("cli-revision", $$"""
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
                  - name: Compile
                    category: build
                    inputArtifacts: [Src]
            """, "pipeline.yml", Cancel());

        var (code, output, error) = await RunAsync(["run", "trigger", "cli-revision", "--revision", first, "--json"]);

        Assert.True(code == 0, error);
        var runId = System.Text.Json.JsonDocument.Parse(output).RootElement.GetProperty("id").GetString()!;
        var run = await farm.Client.WaitForRunAsync(runId, TimeSpan.FromMilliseconds(50), Cancel());
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains($"Checked out {repository.Url} at {first}", Encoding.UTF8.GetString(await farm.Client.GetLogAsync(runId, Cancel())), StringComparison.Ordinal);
    }

    /// <summary>Applies a source → approval → test pipeline (the default mode, SUPERSEDED) and starts it; returns the run once its approval waits.</summary>
    private async Task<string> StartGatedAsync(string name, GitRepository repository)
    {
        await farm.Client.ApplyPipelineAsync(name, TestPipelines.Gated(repository), "pipeline.yml", Cancel());
        var run = await farm.Client.TriggerRunAsync(name, cancellationToken: Cancel());
        var deadline = DateTime.UtcNow + Timeout;
        while (!(await farm.Client.GetRunAsync(run.Id, Cancel())).Jobs.Any(j => j.Name == "Release" && j.Status == RunStatus.Running))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name}: the approval never started waiting");
            await Task.Delay(50);
        }
        return run.Id;
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ServerCommands.ExecuteAsync(args, farm.Server.ToString(), output, error, TimeProvider.System, Cancel());
        return (code, output.ToString(), error.ToString());
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(Timeout).Token;
}
