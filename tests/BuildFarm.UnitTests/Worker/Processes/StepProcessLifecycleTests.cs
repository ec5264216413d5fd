using System.Diagnostics;
using System.Text;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

public sealed class StepProcessLifecycleTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("exit 0", 0)]
    [InlineData("exit 3", 3)]
    [InlineData("false", 1)]
    [InlineData("exit 255", 255)]
    [InlineData("kill -KILL $$", 128 + 9)]
    public async Task The_shell_exit_code_is_returned(string script, int expected)
    {
        await using var step = StepProcess.Start(Steps.Info(_temp, script), new CollectingSink());

        Assert.Equal(expected, await Steps.RunAsync(step));
    }

    [Fact]
    public async Task The_child_environment_is_exactly_what_was_passed()
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["ONLY_THIS"] = "value with spaces = and 'quotes'",
            ["EMPTY"] = "",
        };
        var sink = new CollectingSink();
        var info = new StepProcessStartInfo("echo ready; sleep 5", _temp.Path, environment) { ScriptDirectory = _temp.Path };
        await using var step = StepProcess.Start(info, sink);
        await sink.WaitForStdoutLinesAsync(1, Steps.Bound);

        // The shell's own initial environment, before bash adds PWD/SHLVL/_ for its children.
        var block = await File.ReadAllBytesAsync($"/proc/{step.ProcessId}/environ");
        await step.TerminateAsync(TimeSpan.Zero, CancellationToken.None);

        var actual = Encoding.UTF8.GetString(block).TrimEnd('\0').Split('\0')
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal(environment.OrderBy(p => p.Key), actual.OrderBy(p => p.Key));
    }

    [Fact]
    public async Task The_working_directory_is_the_one_passed()
    {
        Directory.CreateDirectory(_temp.Combine("src"));
        var sink = new CollectingSink();
        var info = Steps.Info(_temp, "pwd") with { WorkingDirectory = _temp.Combine("src") };
        await using var step = StepProcess.Start(info, sink);

        await Steps.RunAsync(step);

        Assert.Equal(_temp.Combine("src") + "\n", sink.Text(LogStream.Stdout));
    }

    [Fact]
    public async Task The_shell_is_the_leader_of_its_own_process_group_and_session()
    {
        var sink = new CollectingSink();
        await using var step = StepProcess.Start(Steps.Info(_temp, "echo ready; sleep 5"), sink);
        // Immediately after Start, before the script has produced anything.
        var early = Proc.Stat(step.ProcessId);
        await sink.WaitForStdoutLinesAsync(1, Steps.Bound);

        var stat = Proc.Stat(step.ProcessId);
        var command = (await File.ReadAllTextAsync($"/proc/{step.ProcessId}/comm")).Trim();
        await step.TerminateAsync(TimeSpan.Zero, CancellationToken.None);

        Assert.Equal(step.ProcessId, early?.ProcessGroup);
        Assert.Equal("bash", command);
        Assert.Equal(step.ProcessId, stat?.ProcessGroup);
        Assert.Equal(step.ProcessId, stat?.Session);
        Assert.NotEqual(Proc.Stat(Environment.ProcessId)?.ProcessGroup, stat?.ProcessGroup);
    }

    [Fact]
    public async Task Stdin_is_at_end_of_file_so_a_read_does_not_wait()
    {
        var sink = new CollectingSink();
        await using var step = StepProcess.Start(Steps.Info(_temp, "read -r line; echo \"read=$? line=$line\""), sink);

        Assert.Equal(0, await Steps.RunAsync(step));
        Assert.Equal("read=1 line=\n", sink.Text(LogStream.Stdout));
    }

    [Fact]
    public async Task The_script_file_is_private_and_deleted_once_the_step_ends()
    {
        var sink = new CollectingSink();
        await using var step = StepProcess.Start(Steps.Info(_temp, "echo \"$0\"; stat -c %a \"$0\""), sink);

        await Steps.RunAsync(step);

        var lines = sink.Text(LogStream.Stdout).Split('\n');
        Assert.StartsWith(_temp.Path, lines[0]);
        Assert.Equal("600", lines[1]);
        Assert.False(File.Exists(lines[0]));
    }

    [Fact]
    public async Task A_backgrounded_grandchild_holding_stdout_does_not_hang_the_wait_beyond_the_drain_timeout()
    {
        var drain = TimeSpan.FromMilliseconds(300);
        var sink = new CollectingSink();
        var info = Steps.Info(_temp, "sleep 600 & echo \"background $!\"") with { OutputDrainTimeout = drain };
        await using var step = StepProcess.Start(info, sink);
        var clock = Stopwatch.StartNew();

        var exitCode = await Steps.RunAsync(step);

        Assert.Equal(0, exitCode);
        Assert.InRange(clock.Elapsed, drain - TimeSpan.FromMilliseconds(50), drain + Steps.Slack);
        Assert.True(step.OutputDrainTimedOut);
        var background = Proc.Pids(await sink.WaitForStdoutLinesAsync(1, Steps.Bound));
        Assert.True(await Proc.AllStopWithinAsync(background, TimeSpan.FromSeconds(1)), "the background sleep survived");
        Assert.Contains("still open", sink.Text(LogStream.System));
    }

    [Fact]
    public async Task A_grandchild_that_left_the_group_and_holds_stdout_is_abandoned_not_waited_for()
    {
        var drain = TimeSpan.FromMilliseconds(200);
        var info = Steps.Info(_temp, "setsid sleep 600 & echo \"escaped $!\"") with { OutputDrainTimeout = drain };
        var sink = new CollectingSink();
        await using var step = StepProcess.Start(info, sink);
        var clock = Stopwatch.StartNew();

        var exitCode = await Steps.RunAsync(step);
        var waited = clock.Elapsed;
        await step.DisposeAsync();
        var disposed = clock.Elapsed - waited;
        var escaped = Proc.Pids(await sink.WaitForStdoutLinesAsync(1, Steps.Bound));
        var stillRunning = Proc.IsRunning(escaped[0]);
        Process.GetProcessById(escaped[0]).Kill();

        Assert.Equal(0, exitCode);
        // The drain timeout, then a short bounded wait after KILL while the escaped process holds the pipe;
        // the upper bound only separates "abandoned" from "waited for the 600 s sleep" on a loaded machine.
        Assert.InRange(waited, drain, drain + Steps.Slack);
        Assert.True(step.OutputDrainTimedOut);
        Assert.True(stillRunning, "the escaped process was not outside the group after all");
        // Dispose would hang on the escaped sleep if the abandoned reads had not really stopped.
        Assert.True(disposed < Steps.Slack, $"dispose took {disposed}");
    }

    [Fact]
    public async Task Output_written_after_the_shell_exits_but_before_the_drain_timeout_is_kept()
    {
        var sink = new CollectingSink();
        var info = Steps.Info(_temp, "(sleep 0.2; echo late) &") with { OutputDrainTimeout = TimeSpan.FromSeconds(3) };
        await using var step = StepProcess.Start(info, sink);

        Assert.Equal(0, await Steps.RunAsync(step));
        Assert.Equal("late\n", sink.Text(LogStream.Stdout));
        Assert.False(step.OutputDrainTimedOut);
    }
}
