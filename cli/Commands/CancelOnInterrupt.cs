using BuildFarm.Client;

namespace BuildFarm.Cli.Commands;

/// <summary>Ctrl-C while following a run cancels the run, then lets the log finish to show it.</summary>
public sealed class CancelOnInterrupt : IDisposable
{
    private readonly BuildFarmClient _client;
    private readonly string _runId;

    public CancelOnInterrupt(BuildFarmClient client, string runId)
    {
        _client = client;
        _runId = runId;
        Console.CancelKeyPress += OnCancel;
    }

    public void Dispose() => Console.CancelKeyPress -= OnCancel;

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Console.Error.WriteLine("buildfarm: cancelling the run…");
        _ = _client.CancelRunAsync(_runId);
    }
}
