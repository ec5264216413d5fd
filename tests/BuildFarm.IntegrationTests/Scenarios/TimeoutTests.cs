using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>
/// CodeBuild's build and queued timeouts, set per pipeline version. The scenario farm counts a
/// timeout minute as one second (Scheduling:TimeoutMinuteSeconds), so 5 "minutes" pass in 5 s.
/// </summary>
[Collection(EmbeddedFarmCollection.Name)]
public sealed class TimeoutTests(EmbeddedFarmFixture farm) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("bf-timeouts-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_build_past_its_timeout_is_killed_with_its_whole_process_tree_and_fails_saying_so()
    {
        var limit = Wait.Up(TimeSpan.FromSeconds(90));
        await ApplyAsync("timeout-build", """
            version: 0.2
            phases:
              build:
                commands:
                  - sh -c 'sleep 300 & echo $! > "$PIDFILE"; wait'
            """, timeoutInMinutes: 5, queuedTimeoutInMinutes: null, limit);
        var pidFile = Path.Combine(_directory, "grandchild.pid");

        var run = await farm.Client.TriggerRunAsync("timeout-build", new Dictionary<string, string> { ["PIDFILE"] = pidFile }, cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(100), limit);

        Assert.Equal(RunStatus.Failed, final.Status);
        Assert.Equal("build timed out after 5 seconds", final.Reason);
        var pid = int.Parse((await File.ReadAllTextAsync(pidFile, limit)).Trim(), CultureInfo.InvariantCulture);
        Assert.False(IsAlive(pid), $"the backgrounded sleep {pid} outlived the timed-out build");
    }

    [Fact]
    public async Task A_job_no_worker_claims_within_the_queued_timeout_fails_and_never_runs()
    {
        var limit = Wait.Up(TimeSpan.FromSeconds(90));
        // Both of the farm's slots stay busy for 10 s, longer than the waiting job's 5 s queued timeout.
        await ApplyAsync("timeout-blocker", "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 60\n", timeoutInMinutes: 10, queuedTimeoutInMinutes: null, limit);
        await ApplyAsync("timeout-queued", "version: 0.2\nphases:\n  build:\n    commands:\n      - touch \"$MARKER\"\n", timeoutInMinutes: null, queuedTimeoutInMinutes: 5, limit);
        var blockers = new[]
        {
            await farm.Client.TriggerRunAsync("timeout-blocker", cancellationToken: limit),
            await farm.Client.TriggerRunAsync("timeout-blocker", cancellationToken: limit),
        };
        foreach (var blocker in blockers)
        {
            await Wait.UntilAsync(async () => (await farm.Client.GetRunAsync(blocker.Id, limit)).Status == RunStatus.Running, TimeSpan.FromSeconds(60), "the blockers to run");
        }

        var marker = Path.Combine(_directory, "ran");
        var queued = await farm.Client.TriggerRunAsync("timeout-queued", new Dictionary<string, string> { ["MARKER"] = marker }, cancellationToken: limit);
        var final = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(100), limit);
        foreach (var blocker in blockers)
        {
            Assert.Equal("build timed out after 10 seconds", (await farm.Client.WaitForRunAsync(blocker.Id, TimeSpan.FromMilliseconds(100), limit)).Reason);
        }

        Assert.Equal(RunStatus.Failed, final.Status);
        Assert.Equal("queued timeout: no worker claimed it within 5 seconds", final.Reason);
        Assert.False(File.Exists(marker), "the timed-out job ran once a slot was free");
    }

    [Fact]
    public async Task Timeouts_outside_codebuilds_limits_are_refused_naming_the_field()
    {
        using var http = new HttpClient { BaseAddress = farm.HttpUrl };
        using var response = await http.PutAsJsonAsync(
            "/api/pipelines/timeout-invalid", new { definition = "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", timeoutInMinutes = 2161 });
        var problem = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("timeoutInMinutes must be between 5 and 2160", problem, StringComparison.Ordinal);
    }

    private async Task ApplyAsync(string name, string definition, int? timeoutInMinutes, int? queuedTimeoutInMinutes, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = farm.HttpUrl };
        using var response = await http.PutAsJsonAsync(
            $"/api/pipelines/{name}", new { definition, fileName = "buildspec.yml", timeoutInMinutes, queuedTimeoutInMinutes }, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>Alive unless gone or a zombie (an orphan's reaper may be slow in a container).</summary>
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
