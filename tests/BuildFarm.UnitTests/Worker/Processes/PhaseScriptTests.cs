using System.Runtime.Versioning;
using BuildFarm.Protos.V1;
using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

[SupportedOSPlatform("linux")]
public sealed class PhaseScriptTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _source;
    private readonly string _state;

    public PhaseScriptTests()
    {
        _source = Directory.CreateDirectory(_temp.Combine("src")).FullName;
        _state = Directory.CreateDirectory(_temp.Combine("state")).FullName;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Cd_and_export_in_one_phase_are_visible_in_the_next()
    {
        await RunPhaseAsync("mkdir -p sub", "cd sub", "export A=1");

        var (exitCode, stdout, _) = await RunPhaseAsync("printf '%s|%s' \"$A\" \"$(pwd)\"");

        Assert.Equal(0, exitCode);
        Assert.Equal($"1|{_source}/sub", stdout);
    }

    [Fact]
    public async Task The_first_failing_command_ends_the_phase_with_its_status_and_later_commands_do_not_run()
    {
        var (exitCode, stdout, _) = await RunPhaseAsync("echo one", "(exit 7)", "echo two", "touch ran");

        Assert.Equal(7, exitCode);
        Assert.Equal("one\n", stdout);
        Assert.False(File.Exists(Path.Combine(_source, "ran")));
    }

    [Fact]
    public async Task A_command_that_calls_exit_ends_the_phase_with_that_status_and_still_saves_the_state()
    {
        var (exitCode, _, _) = await RunPhaseAsync("export B=2; mkdir d; cd d", "exit 3", "touch ran");
        Assert.Equal(3, exitCode);
        Assert.False(File.Exists(Path.Combine(_source, "d", "ran")));

        var (_, stdout, _) = await RunPhaseAsync("echo \"$B $PWD\"");
        Assert.Equal($"2 {_source}/d\n", stdout);
    }

    [Fact]
    public async Task A_failed_phase_still_saves_its_state_for_post_build()
    {
        await RunPhaseAsync("export STAGE=build", "false");

        var (_, stdout, _) = await RunPhaseAsync("echo \"$STAGE\"");

        Assert.Equal("build\n", stdout);
    }

    [Fact]
    public async Task A_multi_line_command_runs_as_one_unit()
    {
        var block = """
            for i in 1 2; do
              echo "it's $i"
            done
            cat <<'EOF'
            a 'quoted' $HOME line
            EOF
            if true; then
              false
            fi

            """;

        var (exitCode, stdout, _) = await RunPhaseAsync(block, "echo not reached");

        Assert.Equal(1, exitCode);
        Assert.Equal("it's 1\nit's 2\na 'quoted' $HOME line\n", stdout);
    }

    [Fact]
    public async Task A_syntax_error_fails_only_its_own_command_with_status_2()
    {
        var (exitCode, stdout, stderr) = await RunPhaseAsync("echo before", "if true; then echo never", "echo after");

        Assert.Equal(2, exitCode);
        Assert.Equal("before\n", stdout);
        Assert.Contains("syntax error", stderr);
    }

    [Fact]
    public async Task Commands_are_not_echoed_to_stdout_or_stderr()
    {
        var (exitCode, stdout, stderr) = await RunPhaseAsync("true", "x=1", "export Y=2");

        Assert.Equal(0, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal("", stderr);
    }

    [Fact]
    public async Task An_unset_in_one_phase_carries_into_the_next()
    {
        await RunPhaseAsync("unset LANG");

        var (_, stdout, _) = await RunPhaseAsync("echo \"${LANG-unset}\"");

        Assert.Equal("unset\n", stdout);
    }

    [Fact]
    public async Task Phase_variables_take_this_phases_value_instead_of_the_saved_one()
    {
        string[] phaseVariables = ["CODEBUILD_BUILD_SUCCEEDING"];
        await RunPhaseAsync(["export OTHER=kept"], phaseVariables, new() { ["CODEBUILD_BUILD_SUCCEEDING"] = "1" });

        var (_, stdout, _) = await RunPhaseAsync(
            ["echo \"$CODEBUILD_BUILD_SUCCEEDING $OTHER\""], phaseVariables, new() { ["CODEBUILD_BUILD_SUCCEEDING"] = "0" });

        Assert.Equal("0 kept\n", stdout);
    }

    [Fact]
    public async Task State_is_saved_even_when_a_command_broke_PATH_set_noclobber_and_replaced_the_exit_trap()
    {
        await RunPhaseAsync("export KEEP=yes", "set -o noclobber", "trap 'echo mine' EXIT", "export PATH=/nonexistent");

        var (_, stdout, _) = await RunPhaseAsync("export PATH=/usr/bin:/bin", "echo \"$KEEP\"");

        Assert.Equal("yes\n", stdout);
    }

    [Fact]
    public async Task Values_with_newlines_quotes_and_dollars_survive_the_state_file()
    {
        const string value = "line1\nit's \"$x\" `cmd` \\ end";
        await RunPhaseAsync("export TRICKY=\"$(printf 'line1\\nit'\\''s \"$x\" `cmd` \\\\ end')\"");

        var (_, stdout, _) = await RunPhaseAsync("printf '%s' \"$TRICKY\"");

        Assert.Equal(value, stdout);
    }

    [Fact]
    public async Task The_state_file_is_readable_only_by_its_owner()
    {
        await RunPhaseAsync("export SECRET=s3cr3t");

        var mode = File.GetUnixFileMode(Path.Combine(_state, PhaseScript.StateFileName));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task A_phase_fails_when_the_directory_the_previous_phase_ended_in_is_gone()
    {
        await RunPhaseAsync("mkdir gone", "cd gone");
        Directory.Delete(Path.Combine(_source, "gone"));

        var (exitCode, stdout, stderr) = await RunPhaseAsync("echo ran");

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("previous phase", stderr);
    }

    [Fact]
    public void A_relative_state_directory_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => PhaseScript.Build(["true"], "state"));
    }

    private Task<(int ExitCode, string Stdout, string Stderr)> RunPhaseAsync(params string[] commands) =>
        RunPhaseAsync(commands, [], []);

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunPhaseAsync(
        string[] commands, string[] phaseVariables, Dictionary<string, string> extraEnvironment)
    {
        var environment = new Dictionary<string, string>(Steps.Environment(_temp.Path));
        foreach (var (name, value) in extraEnvironment)
        {
            environment[name] = value;
        }

        var sink = new CollectingSink();
        var script = PhaseScript.Build(commands, _state, phaseVariables);
        var info = new StepProcessStartInfo(script, _source, environment) { ScriptDirectory = _temp.Path };
        await using var step = StepProcess.Start(info, sink);
        var exitCode = await Steps.RunAsync(step);
        return (exitCode, sink.Text(LogStream.Stdout), sink.Text(LogStream.Stderr));
    }
}
