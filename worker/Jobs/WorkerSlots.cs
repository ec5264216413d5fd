using BuildFarm.Worker.Options;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>How many jobs may run at once here; a delivery waits for a slot before it claims.</summary>
public sealed class WorkerSlots(IOptions<WorkerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.Slots, options.Value.Slots);

    public int Free => _slots.CurrentCount;

    public Task WaitAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    public void Release() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
