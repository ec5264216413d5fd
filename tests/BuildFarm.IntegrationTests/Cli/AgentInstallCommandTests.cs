using System.Runtime.Versioning;
using BuildFarm.Cli.Commands;

namespace BuildFarm.IntegrationTests.Cli;

/// <summary>
/// `buildfarm agent install` on a machine with systemd (a stand-in: a run directory that exists and a systemctl
/// script that records its calls) and without (this machine has no systemd as init).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class AgentInstallCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("bf-it-agent-install-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public async Task With_systemd_the_unit_is_written_readable_only_by_root_then_reloaded_and_enabled()
    {
        var calls = Path.Combine(_temp, "systemctl-calls");
        var systemctl = Path.Combine(_temp, "systemctl");
        await File.WriteAllTextAsync(systemctl, $"#!/bin/sh\necho \"$*\" >> {calls}\n");
        File.SetUnixFileMode(systemctl, (UnixFileMode)Convert.ToInt32("755", 8));
        var host = new SystemdHost(Directory.CreateDirectory(Path.Combine(_temp, "run-systemd")).FullName, Path.Combine(_temp, "buildfarm-agent.service"), systemctl);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AgentInstallCommand.RunAsync(Install("--name", "web-7"), host, output, error, CancellationToken.None);

        Assert.True(exit == 0, error.ToString());
        var unit = await File.ReadAllTextAsync(host.UnitPath);
        Assert.Contains(" agent --group web --coordinator http://127.0.0.1:5001 --name web-7", unit, StringComparison.Ordinal);
        Assert.Contains("Environment=Worker__Token=s3cret", unit, StringComparison.Ordinal);
        Assert.Contains("Restart=always", unit, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(host.UnitPath));
        Assert.Equal(["daemon-reload", "enable --now buildfarm-agent"], await File.ReadAllLinesAsync(calls));
        Assert.DoesNotContain("s3cret", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_systemd_the_unit_is_printed_and_nothing_is_written()
    {
        var host = new SystemdHost(Path.Combine(_temp, "no-run-systemd"), Path.Combine(_temp, "buildfarm-agent.service"), "/nonexistent/systemctl");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AgentInstallCommand.RunAsync(Install(), host, output, error, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.StartsWith("[Unit]", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("ExecStart=", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("systemd is not running on this machine", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(host.UnitPath));
    }

    [Fact]
    public async Task A_missing_option_is_refused_naming_what_is_needed()
    {
        var host = new SystemdHost(_temp, Path.Combine(_temp, "buildfarm-agent.service"), "/nonexistent/systemctl");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AgentInstallCommand.RunAsync(CommandLine.Parse(["agent", "install", "--group", "web"]), host, output, error, CancellationToken.None);

        Assert.Equal(2, exit);
        Assert.Contains("--coordinator URL, --token T and --group NAME", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(host.UnitPath));
    }

    private static CommandLine Install(params string[] extra) =>
        CommandLine.Parse(["agent", "install", "--coordinator", "http://127.0.0.1:5001", "--token", "s3cret", "--group", "web", .. extra]);
}
