using System.Diagnostics;
using System.Globalization;
using System.Runtime;
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
/// Workers run as their own processes and the coordinators in this one, so the CPU and peak RSS of each
/// worker, of the coordinators (with the bench's client), of PostgreSQL and of RabbitMQ are printed apart.
/// </summary>
public static class LoadBenchmark
{
    private const int TriggerConcurrency = 32;

    /// <summary>A warm-up round that makes the coordinators compile fewer methods than this leaves them warm.</summary>
    private const long SettledCompilations = 25;

    private const int MaxWarmupRounds = 10;

    public static async Task<int> RunAsync(int runs, int slots, int coordinators, int workers, int warmup, CancellationToken cancellationToken)
    {
        await using var farm = await BenchFarm.StartDistributedAsync(cancellationToken, workers: 0, coordinators: coordinators);
        var processes = Enumerable.Range(1, workers)
            .Select(i => WorkerProcess.Start(farm.WorkerEnvironment($"bench-worker-{i}", slots, (i - 1) % coordinators)))
            .ToList();
        var clients = farm.GrpcUrls.Select(url => new BuildFarmClient(url, BenchFarm.Token)).ToList();
        try
        {
            var groups = new List<ProcessGroup> { new($"coordinator{(coordinators > 1 ? "s" : "")} + bench client (this process)", Environment.ProcessId, withLiveChildren: false) };
            groups.AddRange(processes.Select((p, i) => new ProcessGroup($"worker bench-worker-{i + 1}", p.Id, withLiveChildren: false)));
            groups.AddRange(ProcessGroup.Services());
            await WaitForWorkersAsync(clients[0], workers, cancellationToken);
            return await BurstAsync(clients, groups, runs, slots, workers, Math.Max(1, warmup), cancellationToken);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            foreach (var process in processes)
            {
                await WorkerProcess.StopAsync(process);
                process.Dispose();
            }
        }
    }

    /// <summary>Worker processes take a moment to start: the burst begins once every one has registered.</summary>
    private static async Task WaitForWorkersAsync(BuildFarmClient client, int workers, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while ((await client.ListWorkersAsync(cancellationToken)).Count(w => w.Id.StartsWith("bench-worker-", StringComparison.Ordinal)) < workers)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"{workers} worker processes did not all register within 2 minutes.");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private static async Task<int> BurstAsync(
        List<BuildFarmClient> clients, List<ProcessGroup> groups, int runs, int slots, int workers, int warmup, CancellationToken cancellationToken)
    {
        var client = clients[0];
        await client.ApplyPipelineAsync("bench-burst", "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n", cancellationToken: cancellationToken);
        // A farm that has run for a while has its hot paths JIT-compiled to their final tier; a burst into a fresh one
        // also pays for tier-0 and instrumented code and the compiler itself. After one 200-run warm-up, the compiler's
        // thread still took a third of this process's CPU samples in the burst (perf), and the burst cost 42 ms of
        // coordinator CPU per run against 19 ms after 1,500 warm-up runs. So the farm is warmed in rounds until a round
        // makes this process (the coordinators) compile almost nothing new, and the burst then shows the steady cost.
        var compiledPerRound = new List<long>();
        do
        {
            var compiledBefore = JitInfo.GetCompiledMethodCount();
            foreach (var id in await TriggerAllAsync(clients, warmup, cancellationToken))
            {
                await client.WaitForRunAsync(id, TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            compiledPerRound.Add(JitInfo.GetCompiledMethodCount() - compiledBefore);
        }
        while (warmup > 1 && compiledPerRound[^1] >= SettledCompilations && compiledPerRound.Count < MaxWarmupRounds);

        var jitBefore = (Methods: JitInfo.GetCompiledMethodCount(), Time: JitInfo.GetCompilationTime());
        var cpuBefore = groups.Select(g => g.CpuSeconds()).ToList();
        var clock = Stopwatch.StartNew();
        var ids = await TriggerAllAsync(clients, runs, cancellationToken);
        var submitted = clock.Elapsed;
        // Waiting asks only whether any run of the burst is unfinished, four times a second, and the CPU is read as soon
        // as none is: polling each run until it ends would cost the coordinator more queries than some of the farm's own
        // steps. The per-run details are fetched after the measurement.
        await WaitUntilNoneUnfinishedAsync(client, cancellationToken);
        var cpuAfter = groups.Select(g => g.CpuSeconds()).ToList();
        var jitMethods = JitInfo.GetCompiledMethodCount() - jitBefore.Methods;
        var jitTime = JitInfo.GetCompilationTime() - jitBefore.Time;
        var finals = new List<Run>(runs);
        foreach (var id in ids)
        {
            finals.Add(await client.WaitForRunAsync(id, TimeSpan.FromMilliseconds(100), cancellationToken));
        }

        var lastFinished = finals.Max(r => r.FinishedAt.ToDateTimeOffset());
        var firstCreated = finals.Min(r => r.CreatedAt.ToDateTimeOffset());
        var wall = (lastFinished - firstCreated).TotalSeconds;
        var toStart = finals.Select(r => (r.StartedAt.ToDateTimeOffset() - r.CreatedAt.ToDateTimeOffset()).TotalMilliseconds).ToList();
        var toEnd = finals.Select(r => (r.FinishedAt.ToDateTimeOffset() - r.CreatedAt.ToDateTimeOffset()).TotalMilliseconds).ToList();
        var succeeded = finals.Count(r => r.Status == RunStatus.Succeeded);
        var firstAttempt = finals.Count(r => r.Jobs.All(j => j.Attempt == 1));
        var perWorker = finals.GroupBy(r => r.Jobs[0].WorkerId).OrderBy(g => g.Key).Select(g => $"{g.Key}={g.Count()}");
        var ranOnWorkers = finals.Sum(r => r.Jobs.Count(j => !string.IsNullOrEmpty(j.WorkerId)));
        Console.WriteLine($"burst of {runs} `true` runs after {compiledPerRound.Count} warm-up burst(s) of {warmup}, {clients.Count} coordinator(s), {workers} workers × {slots} slot(s), distributed (PostgreSQL + RabbitMQ), worker processes, coordinators in this one");
        Console.WriteLine($"  JIT in this process: {string.Join(", ", compiledPerRound)} methods compiled in the warm-up round(s), {jitMethods} in the burst ({jitTime.TotalMilliseconds:0} ms of compiler time)");
        Console.WriteLine($"  submitted in {submitted.TotalSeconds:0.00} s ({runs / submitted.TotalSeconds:0} triggers/s, {TriggerConcurrency} concurrent gRPC calls)");
        Console.WriteLine($"  succeeded {succeeded}/{runs}, first attempt {firstAttempt}/{runs}, jobs run on a worker {ranOnWorkers}, per worker: {string.Join(", ", perWorker)}");
        Console.WriteLine($"  throughput {runs / wall:0.0} runs/s (first created → last finished {wall:0.00} s)");
        Console.WriteLine($"  trigger → start    p50 {Percentiles.Of(toStart, 50):0} ms  p99 {Percentiles.Of(toStart, 99):0} ms");
        Console.WriteLine($"  trigger → complete p50 {Percentiles.Of(toEnd, 50):0} ms  p99 {Percentiles.Of(toEnd, 99):0} ms");
        PrintProcesses(groups, cpuBefore, cpuAfter, runs);
        return succeeded == runs && firstAttempt == runs && ranOnWorkers == runs ? 0 : 1;
    }

    private static async Task WaitUntilNoneUnfinishedAsync(BuildFarmClient client, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(30))
        {
            var queued = await client.ListRunsAsync("bench-burst", RunStatus.Queued, pageSize: 1, cancellationToken: cancellationToken);
            var running = queued.Runs.Count > 0 ? queued : await client.ListRunsAsync("bench-burst", RunStatus.Running, pageSize: 1, cancellationToken: cancellationToken);
            if (queued.Runs.Count == 0 && running.Runs.Count == 0)
            {
                return;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException("The burst's runs did not all finish within 30 minutes.");
    }

    /// <summary>Triggers <paramref name="runs"/> runs at once (at most <see cref="TriggerConcurrency"/> calls in flight), spread over the coordinators.</summary>
    private static async Task<string[]> TriggerAllAsync(List<BuildFarmClient> clients, int runs, CancellationToken cancellationToken)
    {
        var ids = new string[runs];
        using var gate = new SemaphoreSlim(TriggerConcurrency);
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
        return ids;
    }

    /// <summary>CPU seconds over the burst and peak RSS, per process; a worker's children are its step processes.</summary>
    private static void PrintProcesses(List<ProcessGroup> groups, List<(double Own, double Children)> before, List<(double Own, double Children)> after, int runs)
    {
        Console.WriteLine($"  {"process",-45} {"pid",8} {"CPU s",7} {"+children",10} {"ms/run",7} {"peak RSS MB",12}");
        double total = 0;
        for (var i = 0; i < groups.Count; i++)
        {
            var own = after[i].Own - before[i].Own;
            var children = after[i].Children - before[i].Children;
            total += own + children;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {groups[i].Name,-45} {groups[i].Pid,8} {own,7:0.0} {children,10:0.0} {(own + children) * 1000 / runs,7:0.0} {groups[i].PeakRssBytes() / 1e6,12:0}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"all of the above",-45} {"",8} {total,7:0.0} {"",10} {total * 1000 / runs,7:0.0}"));
        if (groups.Count(g => g.Name.StartsWith("Postgre", StringComparison.Ordinal) || g.Name.StartsWith("Rabbit", StringComparison.Ordinal)) < 2)
        {
            Console.WriteLine("  (PostgreSQL and RabbitMQ figures need the services started by scripts/bench.sh)");
        }
    }
}
