extern alias worker;

using System.Globalization;
using System.Text.Json;
using worker::BuildFarm.Worker.Deploy;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm agent status`: is the agent on this server connected, to what, and why not (`agent install` is <see cref="AgentInstallCommand"/>).</summary>
public static class AgentCommands
{
    public const string Usage = """
               buildfarm agent --group NAME [--root DIR] --coordinator URL [--token T] [--name N] [--rabbitmq URI] [--tag K=V]...
                                                                  run this server's deploy agent (the worker binary, Worker:Role=Agent)
               buildfarm agent status [--root DIR] [--state-dir DIR] [--json]
               buildfarm agent install --coordinator URL --token T --group NAME [--root DIR] [--name N] [--rabbitmq URI]
                                                                  write and enable a systemd unit (printed where systemd is absent)
        """;

    private const string DefaultStateDirectory = "/opt/buildfarm-agent";

    // Heartbeats come every few seconds; a status this old means the agent stopped talking to the coordinator.
    private static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    public static async Task<int> StatusAsync(CommandLine line, TextWriter output, TimeProvider time, CancellationToken cancellationToken)
    {
        var paths = new HostPaths(line.Option("--root"));
        var file = Path.Combine(paths.Map(line.Option("--state-dir") ?? DefaultStateDirectory), AgentStatus.FileName);
        if (!File.Exists(file))
        {
            await output.WriteLineAsync($"not connected: no agent has run with this state directory ({file} does not exist); start one with `buildfarm agent --group NAME --coordinator URL`.");
            return 1;
        }
        var status = JsonSerializer.Deserialize<AgentStatusSnapshot>(await File.ReadAllTextAsync(file, cancellationToken))!;
        var running = status.ProcessId is { } pid && IsRunning(pid);
        var age = status.LastContactAt is { } at ? time.GetUtcNow() - at : (TimeSpan?)null;
        var connected = running && status.Connected && age < StaleAfter;
        var why = !running ? $"the agent process ({status.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? "?"}) is not running"
            : !status.Connected ? status.LastError ?? "it has not reached the coordinator yet"
            : age >= StaleAfter ? string.Create(CultureInfo.InvariantCulture, $"no answer from the coordinator for {age.Value.TotalSeconds:0} s")
            : null;
        if (line.Flag("--json"))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new { status.InstanceName, status.Coordinator, connected, reason = why, status.LastContactAt, status.CurrentInstanceDeploymentId, status.ProcessId }));
            return connected ? 0 : 1;
        }
        await output.WriteLineAsync($"instance      {status.InstanceName}");
        await output.WriteLineAsync($"coordinator   {status.Coordinator}");
        await output.WriteLineAsync(connected
            ? string.Create(CultureInfo.InvariantCulture, $"connected     yes (last contact {age!.Value.TotalSeconds:0} s ago)")
            : $"connected     no: {why}");
        await output.WriteLineAsync($"deploying     {(status.CurrentInstanceDeploymentId is { } id ? id.ToString() : "nothing")}");
        return connected ? 0 : 1;
    }

    private static bool IsRunning(int pid) => Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");
}
