extern alias worker;

using BuildFarm.Storage.Caching;
using worker::BuildFarm.Worker.Caching;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>A cache server that accepts connections and then says nothing must cost a build a bounded wait and a miss, never a hang or a failure.</summary>
public sealed class CacheTimeoutTests
{
    // A hang detector, far above the configured 3 s: the point is that the call returns at all.
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private static CacheOptions Options(string backend, int port) => new()
    {
        Backend = backend,
        RedisConfiguration = $"127.0.0.1:{port}",
        S3ServiceUrl = new Uri($"http://127.0.0.1:{port}"),
        S3Bucket = "stalled",
        S3AccessKey = "S3RVER",
        S3SecretKey = "S3RVER",
        ConnectTimeoutMilliseconds = 500,
        IdleTimeoutMilliseconds = 1000,
        RestoreTimeoutMilliseconds = 3000,
        SaveTimeoutMilliseconds = 3000,
    };

    [Theory]
    [InlineData(CacheOptions.RedisBackend)]
    [InlineData(CacheOptions.S3Backend)]
    public async Task A_stalled_server_is_a_miss_within_the_timeout_and_a_save_failure_does_not_throw(string backend)
    {
        await using var server = new StalledServer();
        var options = Options(backend, server.Port);
        var store = CacheStores.Create(options);
        using var worker = new CacheWorker(store, options);
        CacheTree.Write(worker.GradleHome, new Dictionary<string, byte[]> { ["caches/modules-2/a.jar"] = [1, 2, 3] });

        var restore = worker.Cache.RestoreAsync("k", ["k-"], worker.GradleRoots, CancellationToken.None);
        Assert.Same(restore, await Task.WhenAny(restore, Task.Delay(HangLimit)));
        var restored = await restore;
        var save = worker.Cache.SaveAsync("k2", worker.GradleRoots, null, CancellationToken.None);
        Assert.Same(save, await Task.WhenAny(save, Task.Delay(HangLimit)));
        var saved = await save;

        Assert.Equal(CacheRestoreOutcome.Miss, restored.Outcome);
        Assert.NotNull(restored.Reason);
        Assert.Equal(CacheSaveOutcome.Failed, saved.Outcome);
        Assert.True(server.Accepted > 0, "the client never reached the stalled server, so the test proves nothing");
        // The files already there are untouched by the failed restore.
        Assert.True(File.Exists(Path.Combine(worker.GradleHome, "caches/modules-2/a.jar")));
        (store as IDisposable)?.Dispose();
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
