using BuildFarm.Worker.Deploy;

namespace BuildFarm.UnitTests.Worker.Deploy;

public class AgentArgumentsTests
{
    [Fact]
    public void Agent_options_become_the_configuration_of_the_agent_role() =>
        Assert.Equal(
            ["--Worker:Role=Agent", "--Agent:Group=web", "--Agent:Root=/tmp/host1", "--Worker:CoordinatorUrl=http://127.0.0.1:8081", "--Agent:Tags:env=prod", "--Agent:HookKillGraceSeconds=3"],
            AgentArguments.Translate(["agent", "--group", "web", "--root", "/tmp/host1", "--coordinator", "http://127.0.0.1:8081", "--tag", "env=prod", "--Agent:HookKillGraceSeconds=3"]));

    [Fact]
    public void A_worker_command_line_is_left_alone() =>
        Assert.Equal(["--Worker:Slots=2"], AgentArguments.Translate(["--Worker:Slots=2"]));

    [Theory]
    [InlineData("--grup")]
    [InlineData("--group")]
    public void An_unknown_or_incomplete_option_is_refused_with_the_choices(string option)
    {
        var error = Assert.Throws<ArgumentException>(() => AgentArguments.Translate(option == "--group" ? ["agent", option] : ["agent", option, "x"]));

        Assert.Contains("--group", error.Message, StringComparison.Ordinal);
    }
}
