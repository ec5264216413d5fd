namespace BuildFarm.Worker.Processes;

/// <summary>
/// The POSIX signals the worker sends to a step's process group, with their Linux numbers.
/// </summary>
/// <remarks>
/// Only signals whose numbers are the same on every Linux architecture .NET runs on are listed;
/// SIGCONT, SIGSTOP and friends differ on some architectures, so they are left out rather than guessed.
/// </remarks>
public enum ProcessSignal
{
    /// <summary>Signal 0: delivers nothing, only checks that the target exists.</summary>
    None = 0,
    Hangup = 1,
    Interrupt = 2,
    Quit = 3,
    Kill = 9,
    Terminate = 15,
}
