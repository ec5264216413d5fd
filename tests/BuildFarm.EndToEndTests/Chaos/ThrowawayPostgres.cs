using System.Diagnostics;
using System.Globalization;
using static BuildFarm.EndToEndTests.Chaos.ProcessSignals;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// A PostgreSQL server of one scenario's own, on its own loopback port, that the scenario can crash
/// and start again on the SAME port and data directory. The shared server of scripts/services cannot
/// be taken away from the other tests. The postmaster is signalled by the PID in its own pid file,
/// never by name.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string _directory;
    private readonly int _port;
    private int? _postmaster;

    private ThrowawayPostgres(string directory, int port)
    {
        _directory = directory;
        _port = port;
        ConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";
    }

    public string ConnectionString { get; }

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<ThrowawayPostgres> StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            throw new InvalidOperationException($"{Bin}/initdb not found (apt-get install -y postgresql-15).");
        }

        // Not under the fixture's root, which is private to root (0700): the server runs as postgres.
        var directory = Directory.CreateTempSubdirectory("bf-chaos-postgres-").FullName;
        var server = new ThrowawayPostgres(directory, Farm.FreePort());
        try
        {
            await RunAsync("chown", ["postgres:postgres", directory], cancellationToken);
            await RunAsync("runuser", ["-u", "postgres", "--", $"{Bin}/initdb", "-D", server.DataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "-N"], cancellationToken);
            await server.BootAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// SIGQUIT to the postmaster: PostgreSQL's "immediate" shutdown, which drops every connection
    /// mid-transaction and needs crash recovery on the next start, as a machine losing the server would.
    /// </summary>
    public async Task CrashAsync(CancellationToken cancellationToken)
    {
        if (_postmaster is not { } pid)
        {
            return;
        }

        Signal(pid, "QUIT");
        if (!await WaitGoneAsync(pid, ChaosSettings.ExitTimeout, cancellationToken))
        {
            Signal(pid, "KILL");
            await WaitGoneAsync(pid, ChaosSettings.ExitTimeout, cancellationToken);
        }

        _postmaster = null;
    }

    /// <summary>Starts the server again on the same port and data directory (crash recovery included).</summary>
    public Task RestartAsync(CancellationToken cancellationToken) => BootAsync(cancellationToken);

    public string Describe()
    {
        var log = Path.Combine(_directory, "server.log");
        return $"--- postgres on 127.0.0.1:{_port} (pid {_postmaster}), log:\n" + (File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(20)) : "(none)");
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(ChaosSettings.ExitTimeout * 2);
        await CrashAsync(timeout.Token);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // The fixture's cleanup of temp space is not ours to guarantee; nothing else reads this directory.
        }
    }

    private async Task BootAsync(CancellationToken cancellationToken)
    {
        // fsync off: the scenario crashes the server process, not the machine, so what reached the OS
        // survives. synchronous_commit stays ON (unlike scripts/services/postgres.sh): with it off, a commit
        // the coordinator already acknowledged (a log chunk, say) can vanish in the crash, which no
        // production server allows and no client could recover from.
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off");
        await RunAsync("runuser", ["-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", DataDirectory, "-o", options, "-l", Path.Combine(_directory, "server.log"), "-W", "start"], cancellationToken);
        var waited = Stopwatch.StartNew();
        while (!await IsReadyAsync(cancellationToken))
        {
            if (waited.Elapsed > ChaosSettings.BrokerStartTimeout)
            {
                throw new TimeoutException($"PostgreSQL did not accept connections on port {_port} within {ChaosSettings.BrokerStartTimeout}.\n{Describe()}");
            }

            await Task.Delay(ChaosSettings.PollInterval, cancellationToken);
        }

        var pidLine = (await File.ReadAllLinesAsync(Path.Combine(DataDirectory, "postmaster.pid"), cancellationToken))[0];
        _postmaster = int.Parse(pidLine.Trim(), CultureInfo.InvariantCulture);
    }

    private async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo($"{Bin}/pg_isready", ["-h", "127.0.0.1", "-p", _port.ToString(CultureInfo.InvariantCulture), "-q"]))!;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = "/",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
