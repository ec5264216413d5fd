using System.Diagnostics;
using BuildFarm.Bench.Farms;
using BuildFarm.Bench.Stats;
using BuildFarm.Client;
using BuildFarm.Protos.V1;

namespace BuildFarm.Bench.Load;

/// <summary>
/// A burst: N runs of a `true` pipeline triggered at once against a distributed farm (real PostgreSQL
/// and RabbitMQ) with 2 workers of N slots (1 by default: the Buildbot peer's max_builds), or as many
/// coordinators and workers as asked (triggers spread over the coordinators). All must succeed, each job on
/// its first attempt, and the runs the workers ran must add up to the runs triggered (none twice).
/// </summary>
public static class LoadBenchmark
{
    private const int TriggerConcurrency = 32;

    public static async Task<int> RunAsync(int runs, int slots, int coordinators, int workers, CancellationToken cancellationToken)
    {
        await using var farm = await BenchFarm.StartDistributedAsync(cancellationToken, workers: workers, slots: slots, coordinators: coordinators);
        var clients = farm.GrpcUrls.Select(url => new BuildFarmClient(url, BenchFarm.Token)).ToList();
        try
        {
            return await BurstAsync(clients, runs, slots, workers, cancellationToken);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<int> BurstAsync(List<BuildFarmClient> clients, int runs, int slots, int workers, CancellationToken cancellationToken)
    {
        var client = clients[0];
        await client.ApplyPipelineAsync("bench-burst", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", cancellationToken: cancellationToken);
        var warm = await client.TriggerRunAsync("bench-burst", cancellationToken: cancellationToken);
        await client.WaitForRunAsync(warm.Id, TimeSpan.FromMilliseconds(20), cancellationToken);

        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var ids = new string[runs];
        using (var gate = new SemaphoreSlim(TriggerConcurrency))
        {
            await Task.WhenAll(Enumerable.Range(0, runs).Select(async i =>
            {
                await gate.WaitAsync(cancellationToken);
                try
                {
                    ids[i] = (await clients[i % clients.Count].TriggerRunAsync("bench-burst", cancellationToken: cancellationToken)).Id;
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        var submitted = clock.Elapsed;
        var finals = new List<Run>();
        foreach (var id in ids)
        {
            finals.Add(await client.WaitForRunAsync(id, TimeSpan.FromMilliseconds(100), cancellationToken));
        }

        var lastFinished = finals.Max(r => r.FinishedAt.ToDateTimeOffset());
        var firstCreated = finals.Min(r => r.CreatedAt.ToDateTimeOffset());
        var wall = (lastFinished - firstCreated).TotalSeconds;
        self.Refresh();
        var toStart = finals.Select(r => (r.StartedAt.ToDateTimeOffset() - r.CreatedAt.ToDateTimeOffset()).TotalMilliseconds).ToList();
        var toEnd = finals.Select(r => (r.FinishedAt.ToDateTimeOffset() - r.CreatedAt.ToDateTimeOffset()).TotalMilliseconds).ToList();
        var succeeded = finals.Count(r => r.Status == RunStatus.Succeeded);
        var firstAttempt = finals.Count(r => r.Jobs.All(j => j.Attempt == 1));
        var perWorker = finals.GroupBy(r => r.Jobs[0].WorkerId).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}");
        var ranOnWorkers = finals.Sum(r => r.Jobs.Count(j => !string.IsNullOrEmpty(j.WorkerId)));
        Console.WriteLine($"burst of {runs} `true` runs, {clients.Count} coordinator(s), {workers} workers × {slots} slot(s), distributed (PostgreSQL + RabbitMQ), hosts in this process");
        Console.WriteLine($"  submitted in {submitted.TotalSeconds:0.00} s ({runs / submitted.TotalSeconds:0} triggers/s, {TriggerConcurrency} concurrent gRPC calls)");
        Console.WriteLine($"  succeeded {succeeded}/{runs}, first attempt {firstAttempt}/{runs}, jobs run on a worker {ranOnWorkers}, per worker: {string.Join(", ", perWorker)}");
        Console.WriteLine($"  throughput {runs / wall:0.0} runs/s (first created → last finished {wall:0.00} s)");
        Console.WriteLine($"  trigger → start    p50 {Percentiles.Of(toStart, 50):0} ms  p99 {Percentiles.Of(toStart, 99):0} ms");
        Console.WriteLine($"  trigger → complete p50 {Percentiles.Of(toEnd, 50):0} ms  p99 {Percentiles.Of(toEnd, 99):0} ms");
        Console.WriteLine($"  process CPU {(self.TotalProcessorTime - cpuBefore).TotalSeconds:0.0} s, peak RSS {self.PeakWorkingSet64 / 1e6:0} MB (every coordinator, worker and the client share this process)");
        return succeeded == runs && firstAttempt == runs && ranOnWorkers == runs ? 0 : 1;
    }
}
