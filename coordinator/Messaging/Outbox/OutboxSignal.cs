using System.Threading.Channels;

namespace BuildFarm.Coordinator.Messaging.Outbox;

/// <summary>Wakes the dispatcher right after a commit, so dispatch latency is not the poll interval.</summary>
public sealed class OutboxSignal
{
    // Capacity 1 with DropWrite: many commits between two dispatcher passes need only one wake-up.
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval elapsed: look at the table anyway, another coordinator may have written to it.
        }
    }
}
