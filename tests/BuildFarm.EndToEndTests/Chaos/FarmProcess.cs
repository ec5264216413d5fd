using System.Diagnostics;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// One coordinator or worker started as `dotnet host.dll`. It keeps the last lines of its output for
/// failure messages, and is only ever killed through its own <see cref="Process"/>, i.e. by its PID.
/// </summary>
internal sealed class FarmProcess : IAsyncDisposable
{
    private const int TailLines = 150;
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Lock _tailLock = new();

    private FarmProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static FarmProcess Start(string name, string dll, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            // The host reads appsettings.json from its content root, the working directory.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var farmProcess = new FarmProcess(name, process);
        process.OutputDataReceived += (_, e) => farmProcess.Remember(e.Data);
        process.ErrorDataReceived += (_, e) => farmProcess.Remember(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return farmProcess;
    }

    /// <summary>SIGKILL to the process and whatever it started (a worker's build steps): a machine that died.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the check and the kill, which is what we wanted.
            }
        }

        using var timeout = new CancellationTokenSource(ChaosSettings.ExitTimeout);
        await _process.WaitForExitAsync(timeout.Token);
    }

    /// <summary>
    /// SIGTERM to this process alone, as an orchestrator stopping a container does; its build steps
    /// run in their own process groups and are left to the worker. Process.Kill only sends SIGKILL,
    /// hence /bin/kill.
    /// </summary>
    public async Task TerminateAsync(CancellationToken cancellationToken)
    {
        using var kill = Process.Start("/bin/kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ChaosSettings.ExitTimeout);
        await kill.WaitForExitAsync(timeout.Token);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed ({kill.ExitCode}).\n{Describe()}");
        }
    }

    /// <summary>Waits until the process exits by itself and returns its exit code; on timeout says what it last printed.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{Name} did not exit within {limit}.\n{Describe()}");
        }

        return _process.ExitCode;
    }

    public string Describe()
    {
        lock (_tailLock)
        {
            var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
            return $"--- {Name} (pid {_process.Id}, {state}), last output:\n{string.Join('\n', _tail)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tailLock)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines)
            {
                _tail.Dequeue();
            }
        }
    }
}
