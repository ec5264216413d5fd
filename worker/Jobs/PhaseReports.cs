using BuildFarm.Contracts.Events;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Puts one attempt's finished phases on the bus a moment after they finish rather than at once. JobCompleted
/// carries every phase again, so a job that ends within the moment (most short builds) reports its phases only
/// there: one message and one coordinator transaction per job instead of one more per phase. A long job's phases
/// still show up live, that moment late.
/// </summary>
public sealed class PhaseReports(Func<PhaseCompleted, Task> publish, TimeSpan delay, TimeProvider time) : IAsyncDisposable
{
    private readonly Lock gate = new();
    private readonly Queue<PhaseCompleted> pending = new();
    private readonly CancellationTokenSource closing = new();
    private Task flushing = Task.CompletedTask;
    private bool scheduled;
    private bool closed;

    public void Add(PhaseCompleted phase)
    {
        lock (gate)
        {
            if (closed)
            {
                return;
            }

            pending.Enqueue(phase);
            if (!scheduled)
            {
                scheduled = true;
                flushing = FlushLaterAsync();
            }
        }
    }

    /// <summary>
    /// No more reports: waits for a publish in flight, then drops what was not sent (the result carries it) or,
    /// with <paramref name="sendPending"/> (an attempt that ends without a result), sends it now.
    /// </summary>
    public async Task CloseAsync(bool sendPending)
    {
        List<PhaseCompleted> rest;
        lock (gate)
        {
            closed = true;
            rest = [.. pending];
            pending.Clear();
        }

        await closing.CancelAsync();
        try
        {
            await flushing;
        }
        catch (Exception) when (!sendPending)
        {
            // A report that failed for good (the publisher retried and logged each try) is not lost: the result
            // carries every phase. It must not stop that result from going out.
        }

        if (sendPending)
        {
            foreach (var phase in rest)
            {
                await publish(phase);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync(sendPending: false);
        closing.Dispose();
    }

    private async Task FlushLaterAsync()
    {
        try
        {
            await Task.Delay(delay, time, closing.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (true)
        {
            PhaseCompleted next;
            lock (gate)
            {
                if (closed || !pending.TryDequeue(out next!))
                {
                    scheduled = false;
                    return;
                }
            }

            await publish(next);
        }
    }
}
