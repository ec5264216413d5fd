using System.Globalization;
using BuildFarm.Bench.Farms;
using BuildFarm.Bench.Stats;
using BuildFarm.Client;
using BuildFarm.Protos.V1;

namespace BuildFarm.Bench.Logs;

/// <summary>
/// How much memory a worker needs while a step prints far more than the coordinator stores at once: the
/// worker runs as its own process (so its RSS is its own, not the coordinator's), a step prints N MB, and
/// /proc/PID/status is sampled throughout. The log path spills to disk instead of buffering, so the growth
/// should not depend on N.
/// </summary>
public static class WorkerRssBenchmark
{
    private const string Line59 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW";

    public static async Task<int> RunAsync(long megabytes, CancellationToken cancellationToken)
    {
        var bytes = megabytes * 1_000_000;
        await using var farm = await BenchFarm.StartDistributedAsync(cancellationToken, workers: 0);
        using var worker = WorkerProcess.Start(farm.WorkerEnvironment("bench-rss-worker"));
        try
        {
            using var client = new BuildFarmClient(farm.GrpcUrl, BenchFarm.Token);

            // A first small run warms the worker up (JIT, connections, pools), so the baseline is its steady state.
            await client.ApplyPipelineAsync("bench-rss-warm", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo warm\n", cancellationToken: cancellationToken);
            await RunToSuccessAsync(client, "bench-rss-warm", cancellationToken);
            var hwmReset = ResetPeak(worker.Id);
            var baseline = ProcFs.Status(worker.Id, "VmRSS:");

            await client.ApplyPipelineAsync(
                "bench-rss",
                $"version: 0.2\nphases:\n  build:\n    commands:\n      - yes '{Line59}' | head -c {bytes.ToString(CultureInfo.InvariantCulture)}\n",
                cancellationToken: cancellationToken);
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var peak = SamplePeakAsync(worker.Id, sampling.Token);
            var final = await RunToSuccessAsync(client, "bench-rss", cancellationToken);
            await sampling.CancelAsync();
            // VmHWM is the kernel's own peak (it misses nothing between samples) when it could be reset
            // after the warm-up; otherwise it is the process's peak since it started, so only the samples count.
            var hwm = ProcFs.Status(worker.Id, "VmHWM:");
            var peakRss = Math.Max(await peak, ProcFs.Status(worker.Id, "VmRSS:"));
            if (hwmReset)
            {
                peakRss = Math.Max(peakRss, hwm);
            }

            var seconds = (final.FinishedAt.ToDateTimeOffset() - final.StartedAt.ToDateTimeOffset()).TotalSeconds;
            var stored = await StoredStdoutBytesAsync(client, final.Id, cancellationToken);

            Console.WriteLine($"printed {megabytes} MB through a worker process (pid {worker.Id})");
            Console.WriteLine($"{"baseline MB",12} {"peak MB",9} {"growth MB",10} {"VmHWM MB",9} {"run s",7} {"MB/s",7} {"stored stdout bytes",20} {"complete",9}");
            Console.WriteLine($"{baseline / 1e6,12:0} {peakRss / 1e6,9:0} {(peakRss - baseline) / 1e6,10:0} {hwm / 1e6,9:0}{(hwmReset ? " " : "*")} {seconds,7:0.0} {megabytes / seconds,7:0.0} {stored,20} {stored == bytes,9}");
            if (!hwmReset)
            {
                Console.WriteLine("* VmHWM could not be reset after the warm-up (/proc/PID/clear_refs), so it includes start-up; the peak is from 50 ms samples of VmRSS");
            }

            return stored == bytes ? 0 : 1;
        }
        finally
        {
            await WorkerProcess.StopAsync(worker);
        }
    }

    private static async Task<Run> RunToSuccessAsync(BuildFarmClient client, string pipeline, CancellationToken cancellationToken)
    {
        var run = await client.TriggerRunAsync(pipeline, cancellationToken: cancellationToken);
        var final = await client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(100), cancellationToken);
        return final.Status == RunStatus.Succeeded
            ? final
            : throw new InvalidOperationException($"{pipeline} ended {final.Status}: {final.Reason}");
    }

    private static async Task<long> SamplePeakAsync(int pid, CancellationToken cancellationToken)
    {
        long peak = 0;
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                peak = Math.Max(peak, ProcFs.Status(pid, "VmRSS:"));
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the run.
        }

        return peak;
    }

    /// <summary>Sets VmHWM back to the current RSS (Linux 4.0+, writing 5 to clear_refs); false when not allowed.</summary>
    private static bool ResetPeak(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static async Task<long> StoredStdoutBytesAsync(BuildFarmClient client, string runId, CancellationToken cancellationToken)
    {
        long total = 0;
        await foreach (var segment in client.FollowLogAsync(runId, cancellationToken: cancellationToken))
        {
            if (segment.Stream == LogStream.Stdout)
            {
                total += segment.Data.Length;
            }
        }

        return total;
    }
}
