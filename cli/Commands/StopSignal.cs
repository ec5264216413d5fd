using System.Runtime.InteropServices;

namespace BuildFarm.Cli.Commands;

/// <summary>Waits for Ctrl-C or SIGTERM: how `demo --keep` and `run --keep` keep the embedded farm up for the dashboard.</summary>
public static class StopSignal
{
    public static async Task WaitAsync(CancellationToken cancellationToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            stopped.TrySetResult();
        }

        Console.CancelKeyPress += OnCancel;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopped.TrySetResult();
        });
        try
        {
            await stopped.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }
}
