using System.Threading.Channels;

namespace BuildFarm.Coordinator.Messaging;

/// <summary>
/// Wakes one polling background loop right after something it should look at was written, so its latency
/// is not its poll interval. Each loop has its own subclass, so each is a separate singleton.
/// </summary>
public abstract class WakeSignal
{
    // Capacity 1 with DropWrite: many writes between two passes need only one wake-up.
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
            // The poll interval elapsed: look anyway, another coordinator may have written meanwhile.
        }
    }
}
