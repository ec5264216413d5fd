using System.Runtime.Versioning;
using System.Text;
using BuildFarm.UnitTests.Worker.Logs;
using BuildFarm.UnitTests.Worker.Processes;
using BuildFarm.Worker.Deploy;
using BuildFarm.Worker.Logs;

namespace BuildFarm.UnitTests.Worker.Deploy;

/// <summary>The agent's lifecycle on one host with real hook scripts, a root prefix and a zip revision.</summary>
[SupportedOSPlatform("linux")]
public sealed class DeploymentExecutorTests : IDisposable
{
    private const string Hooks = """
        hooks:
          ApplicationStop:
            - location: scripts/hook.sh
          BeforeInstall:
            - location: scripts/hook.sh
          AfterInstall:
            - location: scripts/hook.sh
          ApplicationStart:
            - location: scripts/hook.sh
          ValidateService:
            - location: scripts/hook.sh
        """;

    private readonly TempDirectory _temp = new();
    private readonly HostPaths _paths;
    private readonly AgentState _state;
    private readonly Guid _groupId = Guid.NewGuid();

    public DeploymentExecutorTests()
    {
        // Temp directories are 0700; a runas user must be able to reach the revision, as on a real host.
        File.SetUnixFileMode(_temp.Path, (UnixFileMode)Convert.ToInt32("755", 8));
        _paths = new HostPaths(_temp.Combine("host"));
        _state = new AgentState(_paths.Map("/opt/buildfarm-agent"));
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Events_run_in_codedeploy_order_with_its_variables_and_stop_uses_the_previous_revision()
    {
        var trace = _temp.Combine("trace.txt");
        var hook = $"#!/bin/bash\necho \"$REVISION $LIFECYCLE_EVENT $APPLICATION_NAME $DEPLOYMENT_GROUP_NAME $DEPLOYMENT_GROUP_ID $DEPLOYMENT_ID\" >> {trace}\n";
        var v1 = Revision("v1", "version: 0.0\nos: linux\nfiles:\n  - source: app\n    destination: /opt/app\n" + Hooks, hook.Replace("$REVISION", "v1", StringComparison.Ordinal));
        var v2 = Revision("v2", "version: 0.0\nos: linux\nfiles:\n  - source: app\n    destination: /opt/app\n" + Hooks, hook.Replace("$REVISION", "v2", StringComparison.Ordinal));

        var (first, _, firstId) = await DeployAsync(v1);
        var (second, _, secondId) = await DeployAsync(v2);

        Assert.True(first.Succeeded);
        Assert.Equal(["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"], first.Events.Select(e => e.Event));
        Assert.Equal(DeploymentEventStatus.Skipped, first.Events[0].Status);
        Assert.True(second.Succeeded);
        Assert.Equal(DeploymentEventStatus.Succeeded, second.Events[0].Status);
        var lines = await File.ReadAllLinesAsync(trace);
        Assert.Equal(
            [
                $"v1 BeforeInstall app group {_groupId} {firstId}", $"v1 AfterInstall app group {_groupId} {firstId}",
                $"v1 ApplicationStart app group {_groupId} {firstId}", $"v1 ValidateService app group {_groupId} {firstId}",
                $"v1 ApplicationStop app group {_groupId} {secondId}",
                $"v2 BeforeInstall app group {_groupId} {secondId}", $"v2 AfterInstall app group {_groupId} {secondId}",
                $"v2 ApplicationStart app group {_groupId} {secondId}", $"v2 ValidateService app group {_groupId} {secondId}",
            ],
            lines);
        Assert.Equal("payload of v2", await File.ReadAllTextAsync(_paths.Map("/opt/app/payload.txt")));
    }

    [Fact]
    public async Task A_hook_past_its_timeout_is_killed_with_its_children_and_fails_the_event()
    {
        var pidFile = _temp.Combine("child.pid");
        var revision = Revision("slow", "version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/hook.sh\n      timeout: 1\n",
            $"#!/bin/bash\nsleep 300 &\necho $! > {pidFile}\nwait\n");

        var (outcome, _, _) = await DeployAsync(revision);

        Assert.False(outcome.Succeeded);
        var failed = outcome.FailedEvent!;
        Assert.Equal("ApplicationStart", failed.Event);
        Assert.Contains("failed to complete in 1 seconds", failed.Message, StringComparison.Ordinal);
        Assert.Equal(DeploymentEventStatus.Skipped, outcome.Events.Single(e => e.Event == "ValidateService").Status);
        var child = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Proc.IsRunning(child));
    }

    [Fact]
    public async Task Runas_runs_the_script_as_that_user_and_its_output_reaches_the_log()
    {
        var revision = Revision("runas", "version: 0.0\nos: linux\nhooks:\n  AfterInstall:\n    - location: scripts/hook.sh\n      runas: nobody\n",
            "#!/bin/bash\necho \"user=$(id -un)\"\n");

        var (outcome, log, _) = await DeployAsync(revision);

        Assert.True(outcome.Succeeded, log);
        Assert.Contains("user=nobody", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_application_stop_is_ignored_only_when_asked()
    {
        var failingStop = Revision("stop-fails", "version: 0.0\nos: linux\nhooks:\n  ApplicationStop:\n    - location: scripts/hook.sh\n", "#!/bin/bash\nexit 3\n");
        await DeployAsync(failingStop);

        var (refused, _, _) = await DeployAsync(failingStop);
        var (ignored, _, _) = await DeployAsync(failingStop, ignoreStopFailures: true);

        Assert.Equal(("ApplicationStop", 3), (refused.FailedEvent!.Event, refused.FailedEvent.ExitCode));
        Assert.True(ignored.Succeeded);
        Assert.Contains("ignoreApplicationStopFailures", ignored.Events[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version: 0.0\nos: windows\n", "os: windows")]
    [InlineData("version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n      Properties: {Name: f, Alias: a, CurrentVersion: '1', TargetVersion: '2'}\n", "AWS Lambda")]
    [InlineData("version: 0.0\nos: linux\nfiles:\n  - source: app\n", "destination")]
    public async Task An_appspec_the_agent_cannot_deploy_fails_download_bundle_with_the_reason(string appspec, string reason)
    {
        var (outcome, _, _) = await DeployAsync(Revision("refused", appspec, "#!/bin/bash\n"));

        Assert.Equal("DownloadBundle", outcome.FailedEvent!.Event);
        Assert.Contains(reason, outcome.FailedEvent.Message, StringComparison.Ordinal);
    }

    private string Revision(string name, string appspec, string hook) =>
        TestRevision.Create(_temp.Path, name, new Dictionary<string, string>
        {
            ["appspec.yml"] = appspec,
            ["scripts/hook.sh"] = hook,
            ["app/payload.txt"] = $"payload of {name}",
        });

    private async Task<(DeploymentOutcome Outcome, string Log, Guid DeploymentId)> DeployAsync(string revision, bool ignoreStopFailures = false)
    {
        var sink = new RecordingChunkSink();
        var id = Guid.NewGuid();
        var executor = new DeploymentExecutor(_paths, _state, new ArtifactRevisionSource(null), TimeProvider.System, TimeSpan.FromSeconds(1));
        DeploymentOutcome outcome;
        using (var log = new LogBatcher(sink, TimeProvider.System))
        {
            outcome = await executor.RunAsync(new DeploymentRequest(id, "app", _groupId, "group", revision, ignoreStopFailures), new NoProgress(), log, CancellationToken.None);
            log.Flush();
        }
        return (outcome, Encoding.UTF8.GetString([.. sink.Chunks.SelectMany(c => c.Data)]), id);
    }

    private sealed class NoProgress : IDeploymentProgress
    {
        public Task EventStartedAsync(string lifecycleEvent, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task EventFinishedAsync(DeploymentEventResult result, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
