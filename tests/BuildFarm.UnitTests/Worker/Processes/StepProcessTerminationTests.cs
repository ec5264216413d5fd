using System.Diagnostics;
using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

public sealed class StepProcessTerminationTests : IDisposable
{
    private const string TreeScript = """
        sleep 600 &
        echo "child $!"
        bash -c 'sleep 600 & echo "grandchild $!"; sleep 600 & echo "grandchild $!"; wait' &
        echo "subshell $!"
        wait
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Terminate_kills_the_shell_its_child_and_backgrounded_grandchildren_within_grace_plus_one_second()
    {
        var grace = TimeSpan.FromSeconds(1);
        var sink = new CollectingSink();
        await using var step = StepProcess.Start(Steps.Info(_temp, TreeScript), sink);
        var pids = Proc.Pids(await sink.WaitForStdoutLinesAsync(4, Steps.Bound)).Append(step.ProcessId).ToArray();
        Assert.All(pids, pid => Assert.True(Proc.IsRunning(pid), $"{pid} was not running before terminate"));
        var clock = Stopwatch.StartNew();

        await step.TerminateAsync(grace, CancellationToken.None);

        // Bounds are loose on purpose: timers and a loaded 2-core CI machine jitter; the behaviour is what matters.
        Assert.True(clock.Elapsed < grace + Steps.Slack, $"took {clock.Elapsed}");
        Assert.All(pids, pid => Assert.False(Proc.IsRunning(pid), $"{pid} survived"));
        Assert.Equal(128 + 15, await Steps.RunAsync(step));
    }

    [Fact]
    public async Task A_group_that_ignores_TERM_is_killed_after_the_grace_period()
    {
        var grace = TimeSpan.FromMilliseconds(500);
        var sink = new CollectingSink();
        // The ignored disposition is inherited, so the sleep ignores TERM as well.
        var script = "trap '' TERM; sleep 600 & echo \"child $!\"; echo \"shell $$\"; wait";
        await using var step = StepProcess.Start(Steps.Info(_temp, script), sink);
        var pids = Proc.Pids(await sink.WaitForStdoutLinesAsync(2, Steps.Bound));
        var clock = Stopwatch.StartNew();

        await step.TerminateAsync(grace, CancellationToken.None);

        Assert.InRange(clock.Elapsed, grace - TimeSpan.FromMilliseconds(50), grace + Steps.Slack);
        Assert.All(pids, pid => Assert.False(Proc.IsRunning(pid), $"{pid} survived"));
        Assert.Equal(128 + 9, await Steps.RunAsync(step));
    }

    [Fact]
    public async Task Terminate_waits_for_a_child_that_cleans_up_after_the_shell_has_died()
    {
        var sink = new CollectingSink();
        // bash dies on TERM at once; the child takes 300 ms to clean up, well inside the grace.
        var script = """
            bash -c 'trap "sleep 0.3; echo cleaned > cleaned; exit 0" TERM; echo ready; while :; do sleep 0.05; done' &
            wait
            """;
        await using var step = StepProcess.Start(Steps.Info(_temp, script), sink);
        await sink.WaitForStdoutLinesAsync(1, Steps.Bound);

        await step.TerminateAsync(TimeSpan.FromSeconds(3), CancellationToken.None);

        Assert.True(File.Exists(_temp.Combine("cleaned")), "the child was killed before it finished cleaning up");
    }

    [Fact]
    public async Task Terminate_is_safe_to_call_twice_and_after_the_step_has_exited()
    {
        var sink = new CollectingSink();
        await using var step = StepProcess.Start(Steps.Info(_temp, "echo ready; sleep 600"), sink);
        await sink.WaitForStdoutLinesAsync(1, Steps.Bound);

        await step.TerminateAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        await step.TerminateAsync(TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal(128 + 15, await Steps.RunAsync(step));

        await using var finished = StepProcess.Start(Steps.Info(_temp, "exit 4"), sink);
        Assert.Equal(4, await Steps.RunAsync(finished));
        await finished.TerminateAsync(TimeSpan.FromSeconds(1), CancellationToken.None);
        Assert.Equal(4, await Steps.RunAsync(finished));
    }

    [Fact]
    public async Task Cancelling_terminate_kills_the_group_at_once_instead_of_waiting_out_the_grace()
    {
        var sink = new CollectingSink();
        await using var step = StepProcess.Start(Steps.Info(_temp, "trap '' TERM; echo \"shell $$\"; sleep 600"), sink);
        await sink.WaitForStdoutLinesAsync(1, Steps.Bound);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => step.TerminateAsync(TimeSpan.FromSeconds(30), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}, the grace was 30 s");
        Assert.Equal(128 + 9, await Steps.RunAsync(step));
    }

    [Fact]
    public async Task Disposing_a_running_step_kills_its_group()
    {
        var sink = new CollectingSink();
        var step = StepProcess.Start(Steps.Info(_temp, TreeScript), sink);
        var pids = Proc.Pids(await sink.WaitForStdoutLinesAsync(4, Steps.Bound)).Append(step.ProcessId).ToArray();

        await step.DisposeAsync();

        Assert.True(await Proc.AllStopWithinAsync(pids, TimeSpan.FromSeconds(1)), "a process survived dispose");
    }

    [Fact]
    public async Task Disposing_a_finished_step_leaves_its_detached_background_processes_running()
    {
        var sink = new CollectingSink();
        // CodeBuild's documented "nohup dockerd &" pattern: the daemon must outlive its phase.
        await using (var step = StepProcess.Start(Steps.Info(_temp, "nohup sleep 600 >/dev/null 2>&1 & echo \"daemon $!\""), sink))
        {
            Assert.Equal(0, await Steps.RunAsync(step));
        }

        var daemon = Proc.Pids(await sink.WaitForStdoutLinesAsync(1, Steps.Bound))[0];
        try
        {
            Assert.True(Proc.IsRunning(daemon));
        }
        finally
        {
            ProcessTree.SignalGroup(Proc.Stat(daemon)!.Value.ProcessGroup, ProcessSignal.Kill);
        }
    }
}
