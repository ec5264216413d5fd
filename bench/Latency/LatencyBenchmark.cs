using System.Diagnostics;
using BuildFarm.Bench.Farms;
using BuildFarm.Bench.Stats;
using BuildFarm.Client;
using BuildFarm.Protos.V1;

namespace BuildFarm.Bench.Latency;

/// <summary>
/// Trigger → Succeeded for a one-command (`true`) pipeline, sequential runs. "Succeeded" is seen by the
/// client when the run's log follow ends (the coordinator ends it in the same step that records the
/// final status), then confirmed with GetRun; the coordinator's own CreatedAt → FinishedAt is printed too.
/// </summary>
public static class LatencyBenchmark
{
    private const string TrueSpec = "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n";
    private const string FiveTrueSpec = "version: 0.2\nphases:\n  build:\n    commands:\n      - true\n      - true\n      - true\n      - true\n      - true\n";

    /// <summary>Per-step overhead: five `true` commands against one, median of <paramref name="runs"/> runs each, on the embedded farm.</summary>
    public static async Task<int> StepsAsync(int runs, CancellationToken cancellationToken)
    {
        await using var farm = await BenchFarm.StartEmbeddedAsync(cancellationToken);
        using var client = new BuildFarmClient(farm.GrpcUrl, BenchFarm.Token);
        var one = await ServerMediansAsync(client, "bench-one", TrueSpec, runs, cancellationToken);
        var five = await ServerMediansAsync(client, "bench-five", FiveTrueSpec, runs, cancellationToken);
        Console.WriteLine($"one `true`: median run (start → complete) {one:0.0} ms; five `true`: {five:0.0} ms; per extra command {(five - one) / 4:0.0} ms ({runs} runs each, embedded)");
        return 0;
    }

    private static async Task<double> ServerMediansAsync(BuildFarmClient client, string name, string spec, int runs, CancellationToken cancellationToken)
    {
        await client.ApplyPipelineAsync(name, spec, cancellationToken: cancellationToken);
        var samples = new List<double>();
        for (var i = 0; i < runs + 3; i++)
        {
            var run = await client.TriggerRunAsync(name, cancellationToken: cancellationToken);
            var final = await client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(5), cancellationToken);
            if (i >= 3)
            {
                samples.Add((final.FinishedAt.ToDateTimeOffset() - final.StartedAt.ToDateTimeOffset()).TotalMilliseconds);
            }
        }

        return Percentiles.Of(samples, 50);
    }

    public static async Task<int> RunAsync(string mode, int runs, CancellationToken cancellationToken)
    {
        Console.WriteLine($"trigger → Succeeded, `true` pipeline, {runs} sequential runs (after 5 warm-up runs)");
        Console.WriteLine($"{"farm",-12} {"median ms",10} {"p99 ms",10} {"server median",14} {"server p99",11}");
        if (mode is "embedded" or "both")
        {
            await using var farm = await BenchFarm.StartEmbeddedAsync(cancellationToken);
            await MeasureAsync("embedded", farm.GrpcUrl, runs, cancellationToken);
        }

        if (mode is "distributed" or "both")
        {
            await using var farm = await BenchFarm.StartDistributedAsync(cancellationToken);
            await MeasureAsync("distributed", farm.GrpcUrl, runs, cancellationToken);
        }

        return 0;
    }

    private static async Task MeasureAsync(string name, Uri grpc, int runs, CancellationToken cancellationToken)
    {
        using var client = new BuildFarmClient(grpc, BenchFarm.Token);
        await client.ApplyPipelineAsync("bench-true", TrueSpec, cancellationToken: cancellationToken);
        for (var i = 0; i < 5; i++)
        {
            await RunOnceAsync(client, cancellationToken);
        }

        var client_ms = new List<double>();
        var server_ms = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (elapsed, run) = await RunOnceAsync(client, cancellationToken);
            client_ms.Add(elapsed.TotalMilliseconds);
            server_ms.Add((run.FinishedAt.ToDateTimeOffset() - run.CreatedAt.ToDateTimeOffset()).TotalMilliseconds);
        }

        Console.WriteLine($"{name,-12} {Percentiles.Of(client_ms, 50),10:0.0} {Percentiles.Of(client_ms, 99),10:0.0} {Percentiles.Of(server_ms, 50),14:0.0} {Percentiles.Of(server_ms, 99),11:0.0}");
    }

    private static async Task<(TimeSpan Elapsed, Run Run)> RunOnceAsync(BuildFarmClient client, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = await client.TriggerRunAsync("bench-true", cancellationToken: cancellationToken);
        await foreach (var _ in client.FollowLogAsync(run.Id, cancellationToken: cancellationToken))
        {
            // Drain: the stream ends when the run is final.
        }

        var elapsed = clock.Elapsed;
        var final = await client.GetRunAsync(run.Id, cancellationToken);
        if (final.Status != RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"Run {run.Id} ended {final.Status}: {final.Reason}");
        }

        return (elapsed, final);
    }
}
