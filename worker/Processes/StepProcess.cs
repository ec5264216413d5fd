using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipes;
using System.Runtime.ExceptionServices;
using System.Text;
using BuildFarm.Protos.V1;

namespace BuildFarm.Worker.Processes;

/// <summary>
/// One step: a shell running a script file as the leader of its own process group and session,
/// with stdout and stderr pumped as raw bytes into an <see cref="IOutputSink"/>.
/// </summary>
/// <remarks>
/// The shell is started through setsid(1). .NET's child is never a group leader (it stays in the
/// worker's group), and in that case setsid calls setsid(2) and execs the shell in place, so the
/// process id .NET reports is the shell's, and it is also the id of the new group and session.
/// <see cref="Start(StepProcessStartInfo, IOutputSink, TimeProvider)"/> returns only once that is
/// true, so <see cref="ProcessId"/> can be handed to <see cref="ProcessTree"/> straight away.
/// </remarks>
public sealed class StepProcess : IAsyncDisposable
{
    // As big as the pipe (StepLauncher.PipeBytes): when the worker falls behind, one read takes
    // everything waiting instead of one 64 KiB piece per trip through the reader loop.
    private const int ReadBufferSize = StepLauncher.PipeBytes;

    // A step printing at full speed writes its pipe in small pieces (coreutils tools: 8 KiB each), and
    // a reader that takes each piece as it lands pays a wake-up, a thread-pool hop and a sink call per
    // piece: 12,800 of them for 100 MB. After a read this big the reader pauses this long and takes
    // what piled up meanwhile, a few hundred KiB at full speed. A byte waits at most this much more,
    // well inside the batcher's flush delay; output a line at a time stays below the size and is not paused.
    private const int CoalesceAfterBytes = 4 * 1024;
    private static readonly TimeSpan CoalesceDelay = TimeSpan.FromMilliseconds(1);

    // Bounds for things that take milliseconds when the machine is healthy; they exist so that a
    // wedged kernel or a stuck sink cannot hang the worker, not to be tuned.
    private static readonly TimeSpan ExitAfterKillTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PipesCloseAfterKillTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan GroupPollInterval = TimeSpan.FromMilliseconds(20);

    private readonly Process _process;
    private readonly string _scriptPath;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _outputDrainTimeout;
    private readonly IOutputSink _sink;
    private readonly CancellationTokenSource _readers = new();
    private readonly Task _exited;
    private readonly Task _pumps;
    private readonly Task<int> _completion;
    private Exception? _sinkFailure;
    private int _terminationStarted;
    private int _disposed;

    private StepProcess(Process process, string scriptPath, IOutputSink sink, TimeSpan outputDrainTimeout, TimeProvider timeProvider)
    {
        _process = process;
        _scriptPath = scriptPath;
        _sink = sink;
        _outputDrainTimeout = outputDrainTimeout;
        _timeProvider = timeProvider;
        ProcessId = process.Id;

        // Task.Run so the first sink call never runs on the thread that called Start.
        var stdout = process.StandardOutput.BaseStream;
        var stderr = process.StandardError.BaseStream;
        var stdoutWide = StepLauncher.WidenPipe(stdout);
        var stderrWide = StepLauncher.WidenPipe(stderr);
        _pumps = Task.WhenAll(
            Task.Run(() => PumpAsync(stdout, LogStream.Stdout, stdoutWide, _readers.Token)),
            Task.Run(() => PumpAsync(stderr, LogStream.Stderr, stderrWide, _readers.Token)));
        _exited = process.WaitForExitAsync(_readers.Token);
        _completion = CompleteAsync();
    }

    /// <summary>The shell's process id, which is also its process group id and session id.</summary>
    public int ProcessId { get; }

    /// <summary>
    /// True when stdout/stderr were still open <see cref="StepProcessStartInfo.OutputDrainTimeout"/>
    /// after the shell exited, so the rest of the group was killed (a System line says so in the log).
    /// </summary>
    public bool OutputDrainTimedOut { get; private set; }

    public static StepProcess Start(StepProcessStartInfo info, IOutputSink sink) =>
        Start(info, sink, TimeProvider.System);

    /// <summary>
    /// Writes <see cref="StepProcessStartInfo.Script"/> to a file and starts the shell on it, in a
    /// new session and process group, with stdin at end of file.
    /// </summary>
    public static StepProcess Start(StepProcessStartInfo info, IOutputSink sink, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(info.OutputDrainTimeout, TimeSpan.Zero);

        var scriptPath = StepLauncher.WriteScript(info);
        var process = new Process { StartInfo = StepLauncher.CreateStartInfo(info, scriptPath) };
        try
        {
            process.Start();
            // Nothing in a build may wait for input: closing our end gives the child an empty stdin.
            process.StandardInput.Close();
            StepLauncher.WaitUntilGroupLeader(process);
            return new StepProcess(process, scriptPath, sink, info.OutputDrainTimeout, timeProvider);
        }
        catch
        {
            StepLauncher.KillIfStarted(process);
            process.Dispose();
            File.Delete(scriptPath);
            throw;
        }
    }

    /// <summary>
    /// The shell's exit code (128+N when signal N killed it), returned once both output streams
    /// have reached end of file, or once the drain timeout has passed and the group was killed.
    /// </summary>
    /// <exception cref="Exception">The sink's own exception, if a sink write failed.</exception>
    public Task<int> WaitForExitAsync(CancellationToken cancellationToken) =>
        _completion.WaitAsync(cancellationToken);

    /// <summary>
    /// SIGTERM to the whole group, up to <paramref name="grace"/> for the shell and every other
    /// process in the group to exit, then SIGKILL to whatever is left. Safe to call again and after
    /// the step has ended. Cancelling shortens the grace: the group is still killed before this throws.
    /// </summary>
    public async Task TerminateAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // TERM once only: many tools treat a second TERM as "stop cleaning up and die now".
        if (Interlocked.Exchange(ref _terminationStarted, 1) == 0)
        {
            ProcessTree.SignalGroup(ProcessId, ProcessSignal.Terminate);
        }

        try
        {
            await WaitForGroupToStopAsync(grace, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (ProcessTree.IsGroupAlive(ProcessId))
            {
                ProcessTree.SignalGroup(ProcessId, ProcessSignal.Kill);
            }
        }

        // KILL cannot be caught, so this is short; waiting for it means the caller never sees
        // TerminateAsync return while the shell still runs.
        await CompletesWithinAsync(_exited, ExitAfterKillTimeout, cancellationToken).ConfigureAwait(false);

        // The shell being reaped does not mean its children are: a KILLed child can still be on its
        // way out for a moment. Wait (bounded) until no member of the group runs any more.
        var deadline = Stopwatch.GetTimestamp() + (long)(ExitAfterKillTimeout.TotalSeconds * Stopwatch.Frequency);
        while (ProcessTree.HasRunningMembers(ProcessId) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Kills the group if the shell is still running (a step nobody waits for must not outlive its
    /// owner), stops the readers and deletes the script. Processes a finished step left running in
    /// the background are NOT touched: a later phase may rely on them (CodeBuild's <c>dockerd &amp;</c>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!_exited.IsCompleted && ProcessTree.IsGroupAlive(ProcessId))
        {
            ProcessTree.SignalGroup(ProcessId, ProcessSignal.Kill);
        }

        var finished = await CompletesWithinAsync(_completion, ExitAfterKillTimeout + _outputDrainTimeout, CancellationToken.None).ConfigureAwait(false);
        await _readers.CancelAsync().ConfigureAwait(false);
        finished = finished || await CompletesWithinAsync(_pumps, ExitAfterKillTimeout, CancellationToken.None).ConfigureAwait(false);

        // A failure here was already reported to whoever awaited WaitForExitAsync; reading it marks
        // it observed so it does not surface again as an unobserved task exception.
        _ = _completion.Exception;
        _ = _pumps.Exception;

        if (finished)
        {
            // Only when the readers are done: disposing the process closes the pipes under them.
            _process.Dispose();
            _readers.Dispose();
        }

        DeleteScript();
    }

    private async Task<int> CompleteAsync()
    {
        try
        {
            await _exited.ConfigureAwait(false);
            if (!await CompletesWithinAsync(_pumps, _outputDrainTimeout, CancellationToken.None).ConfigureAwait(false))
            {
                OutputDrainTimedOut = true;
                var killed = ProcessTree.SignalGroup(ProcessId, ProcessSignal.Kill);
                await WriteSystemLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[buildfarm] output was still open {_outputDrainTimeout.TotalSeconds:0.###}s after the shell exited; {(killed ? "killed" : "found no")} remaining processes in group {ProcessId}\n")).ConfigureAwait(false);

                // Killed processes close their pipes within milliseconds; whatever still holds one
                // after that has left our group (setsid, a daemon), so stop reading.
                if (!await CompletesWithinAsync(_pumps, PipesCloseAfterKillTimeout, CancellationToken.None).ConfigureAwait(false))
                {
                    await _readers.CancelAsync().ConfigureAwait(false);
                    await CompletesWithinAsync(_pumps, PipesCloseAfterKillTimeout, CancellationToken.None).ConfigureAwait(false);
                }
            }

            var sinkFailure = Volatile.Read(ref _sinkFailure);
            if (sinkFailure is not null)
            {
                ExceptionDispatchInfo.Throw(sinkFailure);
            }

            return _process.ExitCode;
        }
        finally
        {
            DeleteScript();
        }
    }

    // wide: the pipe holds StepLauncher.PipeBytes. Only then may the reader pause between reads
    // (CoalesceDelay), because a 64 KiB pipe would fill during the pause and stall the step.
    private async Task PumpAsync(Stream source, LogStream stream, bool wide, CancellationToken cancellationToken)
    {
        // Rented: a worker runs many steps, and a fresh 1 MiB array each would churn the large object heap.
        var buffer = ArrayPool<byte>.Shared.Rent(ReadBufferSize);
        var sinkWorks = true;
        try
        {
            while (true)
            {
                var read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                if (wide && read >= CoalesceAfterBytes && read < buffer.Length)
                {
                    // Pausing before the sink, not after: the sink then sees fewer, larger writes
                    // as well. The step is not stopped: the 1 MiB pipe takes what it prints meanwhile.
                    read += await ReadMoreAsync(source, buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
                }

                if (!sinkWorks)
                {
                    continue;
                }

                try
                {
                    await _sink.WriteAsync(stream, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // Keep draining without the sink: a child blocked on a full pipe would never
                    // exit. The failure is rethrown by WaitForExitAsync, so the loss is not silent.
                    Interlocked.CompareExchange(ref _sinkFailure, exception, null);
                    sinkWorks = false;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The reader was abandoned on purpose (drain timeout or dispose); the caller knows why.
        }
        finally
        {
            // Only here: the sink has returned from its last write, so nothing still reads the buffer.
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// After <see cref="CoalesceDelay"/>, what is already waiting in the pipe (nothing if none): one read,
    /// and only if it would not block, so the pause is the only wait this adds.
    /// </summary>
    private static async Task<int> ReadMoreAsync(Stream source, Memory<byte> rest, CancellationToken cancellationToken)
    {
        // The real clock, not the injected one: this paces reads, it is not a policy timeout that tests move.
        await Task.Delay(CoalesceDelay, cancellationToken).ConfigureAwait(false);
        return source is PipeStream pipe && StepLauncher.BytesAvailable(pipe) is > 0 and var available
            ? await source.ReadAsync(rest[..Math.Min(available, rest.Length)], cancellationToken).ConfigureAwait(false)
            : 0;
    }

    private async Task WriteSystemLineAsync(string line)
    {
        try
        {
            await _sink.WriteAsync(LogStream.System, Encoding.UTF8.GetBytes(line), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // Same rule as the readers: a broken sink is reported by WaitForExitAsync.
            Interlocked.CompareExchange(ref _sinkFailure, exception, null);
        }
    }

    private async Task WaitForGroupToStopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        var started = _timeProvider.GetTimestamp();
        if (!await CompletesWithinAsync(_exited, grace, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // The shell going first is common (bash dies on TERM while its child is still cleaning up);
        // the grace period is for the whole group, so keep waiting for the rest of it.
        while (ProcessTree.HasRunningMembers(ProcessId))
        {
            var left = grace - _timeProvider.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left < GroupPollInterval ? left : GroupPollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> CompletesWithinAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (task.IsCompleted)
        {
            return true;
        }

        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, _timeProvider, delayCancellation.Token);
        var first = await Task.WhenAny(task, delay).ConfigureAwait(false);
        await delayCancellation.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == task;
    }

    private void DeleteScript()
    {
        try
        {
            File.Delete(_scriptPath);
        }
        catch (IOException)
        {
            // Best effort: the file lives in a temp directory and leaking it costs a few bytes.
        }
        catch (UnauthorizedAccessException)
        {
            // As above: someone changed the directory's permissions; nothing to do about it here.
        }
    }
}
