using System.Diagnostics;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm agent install`: the systemd unit that runs this server's deploy agent, written and enabled where systemd
/// runs and printed otherwise. It replaces CodeDeploy's install script, and restarts the agent if it dies.
/// </summary>
public static class AgentInstallCommand
{
    public static async Task<int> RunAsync(CommandLine line, SystemdHost host, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var coordinator = line.Option("--coordinator");
        var token = line.Option("--token");
        var group = line.Option("--group");
        if (coordinator is null || token is null || group is null)
        {
            await error.WriteLineAsync("agent install needs --coordinator URL, --token T and --group NAME");
            return 2;
        }
        var launcher = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../buildfarm"));
        var arguments = new List<string> { "agent", "--group", group, "--coordinator", coordinator };
        foreach (var option in new[] { "--root", "--name", "--rabbitmq" })
        {
            if (line.Option(option) is { } value)
            {
                arguments.AddRange([option, value]);
            }
        }
        var unit = $"""
            [Unit]
            Description=BuildFarm deploy agent (group {group})
            After=network-online.target
            Wants=network-online.target

            [Service]
            ExecStart={launcher} {string.Join(' ', arguments.Select(Quote))}
            Environment=Worker__Token={token}
            Restart=always
            RestartSec=5
            # Only the agent is stopped on restart: the services its hooks started (nohup …) keep running, as with CodeDeploy.
            KillMode=process

            [Install]
            WantedBy=multi-user.target

            """;
        if (!Directory.Exists(host.RunDirectory))
        {
            await output.WriteAsync(unit);
            await error.WriteLineAsync($"systemd is not running on this machine; save the unit above as {host.UnitPath} on a systemd server, or run the ExecStart line under your own supervisor.");
            return 0;
        }
        await File.WriteAllTextAsync(host.UnitPath, unit, cancellationToken);
        // The unit holds the agent's token.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(host.UnitPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        foreach (var systemctl in new[] { new[] { "daemon-reload" }, new[] { "enable", "--now", "buildfarm-agent" } })
        {
            using var process = Process.Start(new ProcessStartInfo(host.Systemctl, systemctl))!;
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
            {
                await error.WriteLineAsync($"systemctl {string.Join(' ', systemctl)} failed with exit code {process.ExitCode}");
                return 1;
            }
        }
        await output.WriteLineAsync($"wrote {host.UnitPath} and started buildfarm-agent; check it with `buildfarm agent status`.");
        return 0;
    }

    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=') ? value : $"\"{value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
