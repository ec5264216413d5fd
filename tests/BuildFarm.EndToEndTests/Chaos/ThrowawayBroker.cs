using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static BuildFarm.EndToEndTests.Chaos.ProcessSignals;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// A RabbitMQ node of one scenario's own, on its own loopback ports, that the scenario can stop and
/// start again on the SAME port with its queues intact (same node name, same mnesia directory).
/// scripts/services/rabbitmq.sh cannot do that: its start picks new random ports, and stopping the
/// shared node would break every other test. Every process is stopped by PID, never by name.
/// </summary>
internal sealed class ThrowawayBroker : IAsyncDisposable
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private readonly string _directory;
    private readonly string _node;
    private readonly int _amqpPort;
    private readonly int _distPort;
    private readonly int _epmdPort;
    private readonly List<Process> _launchers = [];
    private int? _beam;

    private ThrowawayBroker(string directory)
    {
        _directory = directory;
        _node = $"bfchaos{Guid.NewGuid().ToString("N")[..8]}@localhost";
        var ports = new HashSet<int>();
        while (ports.Count < 3)
        {
            ports.Add(Farm.FreePort());
        }

        (_amqpPort, _distPort, _epmdPort) = (ports.ElementAt(0), ports.ElementAt(1), ports.ElementAt(2));
        Uri = new Uri($"amqp://guest:guest@127.0.0.1:{_amqpPort}/");
    }

    public Uri Uri { get; }

    /// <summary>Creates the node's directory (owned by the rabbitmq user, as the server insists) and boots it.</summary>
    public static async Task<ThrowawayBroker> StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Server))
        {
            throw new InvalidOperationException($"{Server} not found (apt-get install -y rabbitmq-server).");
        }

        // Not under the fixture's root: that is private to root (0700), and the node runs as rabbitmq.
        var directory = Directory.CreateTempSubdirectory("bf-chaos-rabbitmq-").FullName;
        var broker = new ThrowawayBroker(directory);
        Directory.CreateDirectory(Path.Combine(directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        // No plugins: the scenario needs AMQP only, and the management plugin adds seconds to every boot.
        await File.WriteAllTextAsync(Path.Combine(directory, "enabled_plugins"), "[].\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "rabbitmq.conf"), "loopback_users = none\n", cancellationToken);
        await RunAsync("chown", ["-R", "rabbitmq:rabbitmq", directory], cancellationToken);
        try
        {
            await broker.BootAsync(cancellationToken);
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }

        return broker;
    }

    /// <summary>A clean stop (SIGTERM to the Erlang VM, as rabbitmq.sh does), waiting until the VM has exited.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_beam is not { } beam)
        {
            return;
        }

        Signal(beam, "TERM");
        if (!await WaitGoneAsync(beam, ChaosSettings.BrokerStopTimeout, cancellationToken))
        {
            Signal(beam, "KILL");
            await WaitGoneAsync(beam, ChaosSettings.ExitTimeout, cancellationToken);
        }

        _beam = null;
    }

    /// <summary>Boots the node again on the same ports and directory, so durable queues and their messages come back.</summary>
    public Task RestartAsync(CancellationToken cancellationToken) => BootAsync(cancellationToken);

    public string Describe()
    {
        var log = Path.Combine(_directory, "stdout.log");
        return $"--- broker {_node} on {Uri} (beam pid {_beam}), stdout:\n" + (File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "(none)");
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(ChaosSettings.BrokerStopTimeout + ChaosSettings.ExitTimeout);
        await StopAsync(timeout.Token);
        foreach (var launcher in _launchers)
        {
            // runuser and the server script exit with the VM; this catches a boot that never wrote its pid file.
            if (!launcher.HasExited)
            {
                Signal(launcher.Id, "KILL", group: true);
            }

            launcher.Dispose();
        }

        // epmd daemonises out of the node's process group and outlives it; ours is the one whose
        // environment carries this directory, on this node's own epmd port.
        foreach (var epmd in OurEpmds())
        {
            Signal(epmd, "KILL");
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The fixture removes its whole root afterwards anyway.
        }
    }

    private async Task BootAsync(CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = "/",
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // The server's output goes to a file through the shell, so nothing here has to keep reading it.
        foreach (var argument in (string[])["sh", "-c", $"exec runuser -u rabbitmq -- {Server} >>'{_directory}/stdout.log' 2>&1"])
        {
            start.ArgumentList.Add(argument);
        }

        var environment = new Dictionary<string, string>
        {
            ["BUILDFARM_RABBITMQ_DIR"] = _directory,
            ["RABBITMQ_NODENAME"] = _node,
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = $"{_amqpPort}",
            ["RABBITMQ_DIST_PORT"] = $"{_distPort}",
            ["ERL_EPMD_PORT"] = $"{_epmdPort}",
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1}",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log"),
            ["RABBITMQ_PID_FILE"] = Path.Combine(_directory, "rabbit.pid"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_directory, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(_directory, "rabbitmq"),
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var pidFile = Path.Combine(_directory, "rabbit.pid");
        File.Delete(pidFile);
        var launcher = Process.Start(start) ?? throw new InvalidOperationException("setsid did not start");
        _launchers.Add(launcher);
        launcher.StandardInput.Close();

        var waited = Stopwatch.StartNew();
        while (!await AnswersAmqpAsync(cancellationToken))
        {
            if (launcher.HasExited)
            {
                throw new InvalidOperationException($"rabbitmq-server exited during boot ({launcher.ExitCode}).\n{Describe()}");
            }

            if (waited.Elapsed > ChaosSettings.BrokerStartTimeout)
            {
                throw new TimeoutException($"RabbitMQ did not answer on {Uri} within {ChaosSettings.BrokerStartTimeout}.\n{Describe()}");
            }

            await Task.Delay(ChaosSettings.PollInterval, cancellationToken);
        }

        // The VM writes its pid file during boot, before the listener opens.
        _beam = int.Parse((await File.ReadAllTextAsync(pidFile, cancellationToken)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    // The AMQP listener opens only once the node has booted; the first byte of its reply to a
    // protocol header is a method frame (Connection.Start), which is the readiness we need.
    private async Task<bool> AnswersAmqpAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, _amqpPort, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), timeout.Token);
            var reply = new byte[1];
            return await stream.ReadAsync(reply, timeout.Token) == 1 && reply[0] == 1;
        }
        catch (Exception ex) when (ex is SocketException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Not listening yet.
            return false;
        }
    }

    private IEnumerable<int> OurEpmds()
    {
        var marker = $"BUILDFARM_RABBITMQ_DIR={_directory}";
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid))
            {
                continue;
            }

            string comm;
            string[] environ;
            try
            {
                comm = File.ReadAllText(Path.Combine(proc, "comm")).Trim();
                if (comm != "epmd")
                {
                    continue;
                }

                environ = File.ReadAllText(Path.Combine(proc, "environ")).Split('\0');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process went away while we looked.
                continue;
            }

            if (environ.Contains(marker))
            {
                yield return pid;
            }
        }
    }

    private static async Task RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(file, arguments);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}).");
        }
    }
}
