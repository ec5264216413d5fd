using System.Collections.Concurrent;
using System.Diagnostics;
using BuildFarm.Bench.Farms;
using BuildFarm.Client;
using BuildFarm.Protos.V1;

namespace BuildFarm.Bench.Soak;

/// <summary>
/// A soak: a steady trickle of runs (5/s by default: 70% succeed, 20% fail, 10% are cancelled a second after the
/// trigger) against a distributed farm (real PostgreSQL and RabbitMQ, 2 workers × 2 slots) for N minutes, one
/// worker restarted (SIGTERM-style drain, then a fresh host) every few minutes. Prints RSS, open file descriptors,
/// threads and managed heap every 30 s, then whether every run ended as its kind should (none lost, none retried).
/// Every farm host shares this process, so the figures are the farm's together.
/// </summary>
public static class SoakBenchmark
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SettleLimit = TimeSpan.FromMinutes(2);

    private enum Kind { Succeeds, Fails, Cancelled }

    public static async Task<int> RunAsync(double minutes, double runsPerSecond, double restartMinutes, CancellationToken cancellationToken)
    {
        await using var farm = await BenchFarm.StartDistributedAsync(cancellationToken, workers: 2, slots: 2);
        using var client = new BuildFarmClient(farm.GrpcUrl, BenchFarm.Token);
        await client.ApplyPipelineAsync("soak-ok", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo ok\n", cancellationToken: cancellationToken);
        await client.ApplyPipelineAsync("soak-fail", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo failing\n      - exit 3\n", cancellationToken: cancellationToken);
        await client.ApplyPipelineAsync("soak-cancel", "version: 0.2\nphases:\n  build:\n    commands:\n      - sleep 30\n", cancellationToken: cancellationToken);

        var outcomes = new ConcurrentBag<(Kind Kind, Run? Run)>();
        var pending = new List<Task>();
        var duration = TimeSpan.FromMinutes(minutes);
        var interval = TimeSpan.FromSeconds(1 / runsPerSecond);
        var restartEvery = TimeSpan.FromMinutes(restartMinutes);
        var restarted = 0;
        var clock = Stopwatch.StartNew();
        var nextSample = TimeSpan.Zero;
        var nextRestart = restartEvery;
        Console.WriteLine($"soak: {minutes:0.#} min, {runsPerSecond:0.#} runs/s (70% succeed, 20% fail, 10% cancelled), 2 workers × 2 slots, a worker restarted every {restartMinutes:0.#} min");
        Console.WriteLine("   min  triggered  finished   RSS MB  fds  threads  heap MB");
        for (var i = 0; clock.Elapsed < duration; i++)
        {
            var kind = (i % 10) switch { < 7 => Kind.Succeeds, < 9 => Kind.Fails, _ => Kind.Cancelled };
            pending.Add(OneRunAsync(client, kind, outcomes, cancellationToken));
            if (clock.Elapsed >= nextSample)
            {
                Sample(clock.Elapsed, i, outcomes.Count);
                nextSample += SampleEvery;
            }

            if (clock.Elapsed >= nextRestart)
            {
                // Not awaited in the trickle's loop: a drain takes as long as the jobs it waits for.
                var id = farm.WorkerIds.ElementAt(restarted % farm.WorkerIds.Count);
                pending.Add(farm.RestartWorkerAsync(id, cancellationToken));
                restarted++;
                nextRestart += restartEvery;
            }

            var due = interval * (i + 1);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, cancellationToken);
            }
        }

        var triggered = pending.Count - restarted;
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(SettleLimit, cancellationToken));
        var settled = pending.All(t => t.IsCompleted);
        foreach (var failed in pending.Where(t => t.IsFaulted).Take(5))
        {
            Console.WriteLine($"  a trigger, wait or restart failed: {failed.Exception!.InnerException!.Message}");
        }

        Sample(clock.Elapsed, triggered, outcomes.Count);
        var wrong = outcomes.Where(o => o.Run is null || o.Run.Status != Expected(o.Kind) || o.Run.Jobs.Any(j => j.Attempt != 1)).ToList();
        var lost = triggered - outcomes.Count(o => o.Run is not null);
        Console.WriteLine($"runs triggered {triggered}, ended as expected {outcomes.Count - wrong.Count}, wrong or not final {wrong.Count}, lost {lost}, worker restarts {restarted}, all settled within {SettleLimit.TotalSeconds:0} s: {settled}");
        foreach (var (kind, run) in wrong.Take(10))
        {
            Console.WriteLine($"  {kind}: {run?.Id} {run?.Status} attempts {string.Join(",", run?.Jobs.Select(j => j.Attempt) ?? [])} {run?.Reason}");
        }

        return wrong.Count == 0 && lost == 0 && settled ? 0 : 1;
    }

    private static RunStatus Expected(Kind kind) => kind switch
    {
        Kind.Succeeds => RunStatus.Succeeded,
        Kind.Fails => RunStatus.Failed,
        _ => RunStatus.Cancelled,
    };

    private static async Task OneRunAsync(BuildFarmClient client, Kind kind, ConcurrentBag<(Kind, Run?)> outcomes, CancellationToken cancellationToken)
    {
        var pipeline = kind switch { Kind.Succeeds => "soak-ok", Kind.Fails => "soak-fail", _ => "soak-cancel" };
        var queued = await client.TriggerRunAsync(pipeline, cancellationToken: cancellationToken);
        if (kind == Kind.Cancelled)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            await client.CancelRunAsync(queued.Id, cancellationToken);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(SettleLimit);
        try
        {
            outcomes.Add((kind, await client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(250), limit.Token)));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcomes.Add((kind, await client.GetRunAsync(queued.Id, cancellationToken)));
        }
    }

    private static void Sample(TimeSpan elapsed, int triggered, int finished)
    {
        using var self = Process.GetCurrentProcess();
        var fds = Directory.GetFiles("/proc/self/fd").Length;
        Console.WriteLine($"{elapsed.TotalMinutes,6:0.0} {triggered,10} {finished,9} {self.WorkingSet64 / 1e6,8:0} {fds,4} {self.Threads.Count,8} {GC.GetTotalMemory(false) / 1e6,8:0}");
    }
}
