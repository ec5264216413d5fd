namespace BuildFarm.Coordinator.Deployments;

/// <summary>
/// Serialises deployment state changes in this coordinator: instance completions arrive concurrently and
/// each one recounts the rollout, so two of them must not both start "the next" instance. A second
/// coordinator would need a row lock instead; deployments are rare enough that one lock costs nothing.
/// </summary>
public sealed class DeploymentLock : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Release(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
