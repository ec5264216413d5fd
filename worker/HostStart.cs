namespace BuildFarm.Worker;

internal static class HostStart
{
    /// <summary>
    /// Completes once every hosted service has started (Kestrel included), or throws when the host stops
    /// first. Background loops that talk to the database or the coordinator wait for it.
    /// </summary>
    public static async Task WaitForStartAsync(this IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }
    }
}
