using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BuildFarm.Bench.Farms;
using BuildFarm.Bench.Stats;
using BuildFarm.Client;
using BuildFarm.Protos.V1;

namespace BuildFarm.Bench.Logs;

/// <summary>
/// The log path under load: 100 MB printed by one step (stored byte for byte? how long through the
/// farm against the bare command?), and live-follower latency at 1,000 lines/s with 1 and 20 followers.
/// </summary>
public static class LogBenchmark
{
    private const string Line59 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW";
    private const int Lines = 1_666_667;
    private static readonly string BigCommand = $"yes '{Line59}' | head -n {Lines}";

    // Computed once: building 100 MB of text per run would take CPU from the farm between runs.
    private static readonly Lazy<byte[]> Expected = new(() =>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = System.Text.Encoding.ASCII.GetBytes(Line59 + "\n");
        for (var i = 0; i < Lines; i++)
        {
            hash.AppendData(line);
        }

        return hash.GetHashAndReset();
    });

    public static async Task<int> RunAsync(string mode, int runs, CancellationToken cancellationToken)
    {
        var bare = await BareSecondsAsync(cancellationToken);
        Console.WriteLine($"bare: `{BigCommand} > /dev/null` median of 5: {bare * 1000:0} ms");
        // The first run of a fresh farm also pays for JIT-compiling the log path (a long-running
        // coordinator paid that once, days ago), so it is shown apart and the rest give the figure.
        Console.WriteLine($"100 MB: one cold run, then the median of {runs} warm runs (start → complete, from the run's own timestamps)");
        Console.WriteLine($"{"farm",-12} {"cold s",7} {"100MB run s",12} {"× bare",8} {"best s",7} {"MB/s",8} {"stdout sha256 ok",17} {"RSS+ MB",8} | {"followers",9} {"p50 ms",7} {"p99 ms",7} {"lines",7}");
        foreach (var farmMode in mode == "both" ? new[] { "embedded", "distributed" } : [mode])
        {
            await using var farm = farmMode == "embedded"
                ? await BenchFarm.StartEmbeddedAsync(cancellationToken)
                : await BenchFarm.StartDistributedAsync(cancellationToken);
            using var client = new BuildFarmClient(farm.GrpcUrl, BenchFarm.Token);
            // CPU seconds, not only wall time: on this shared 2-core machine the wall time follows other people's load,
            // and the CPU the farm spends per 100 MB is what a change to the log path moves.
            var groups = new List<ProcessGroup> { new("farm (coordinator + worker + client, this process)", Environment.ProcessId, withLiveChildren: false) };
            groups.AddRange(ProcessGroup.Services());
            var cold = await BigLogAsync(client, groups, cancellationToken);
            var warm = new List<(double Seconds, bool HashOk, double RssGrowthMb, double[] Cpu)>();
            for (var i = 0; i < runs; i++)
            {
                warm.Add(await BigLogAsync(client, groups, cancellationToken));
            }

            var cpu = string.Join(", ", groups.Select((g, i) => $"{g.Name} {Percentiles.Of(warm.Select(w => w.Cpu[i + 1]).ToList(), 50):0.00} s"));
            Console.WriteLine($"{farmMode}: CPU per warm run (median): the step {Percentiles.Of(warm.Select(w => w.Cpu[0]).ToList(), 50):0.00} s, {cpu}");
            Console.WriteLine($"{farmMode}: each warm run, start → complete s / this process's CPU s: {string.Join("  ", warm.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Seconds:0.00}/{w.Cpu[1]:0.00}")))}");

            var seconds = Percentiles.Of(warm.Select(w => w.Seconds).ToList(), 50);
            var hashOk = cold.HashOk && warm.All(w => w.HashOk);
            var rss = warm.Append(cold).Max(w => w.RssGrowthMb);
            foreach (var followers in new[] { 1, 20 })
            {
                var (p50, p99, count) = await FollowerLatencyAsync(client, followers, cancellationToken);
                Console.WriteLine($"{farmMode,-12} {cold.Seconds,7:0.00} {seconds,12:0.00} {seconds / bare,8:0.0} {warm.Min(w => w.Seconds),7:0.00} {100_000_020 / seconds / 1e6,8:0.0} {hashOk,17} {rss,8:0} | {followers,9} {p50,7:0.0} {p99,7:0.0} {count,7}");
            }
        }

        return 0;
    }

    private static async Task<double> BareSecondsAsync(CancellationToken cancellationToken)
    {
        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var start = new ProcessStartInfo("bash") { ArgumentList = { "-c", BigCommand + " > /dev/null" } };
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync(cancellationToken);
            samples.Add(clock.Elapsed.TotalSeconds);
        }

        return Percentiles.Of(samples, 50);
    }

    private static async Task<(double Seconds, bool HashOk, double RssGrowthMb, double[] Cpu)> BigLogAsync(BuildFarmClient client, List<ProcessGroup> groups, CancellationToken cancellationToken)
    {
        await client.ApplyPipelineAsync("bench-biglog", $"version: 0.2\nphases:\n  build:\n    commands:\n      - {BigCommand}\n", cancellationToken: cancellationToken);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        var rssBefore = self.WorkingSet64;
        var cpuBefore = Cpu(groups);
        var run = await client.TriggerRunAsync("bench-biglog", cancellationToken: cancellationToken);
        // The figure comes from the run's own timestamps, so polling slowly costs no precision, and a
        // fast poll would take CPU from the farm being measured on this 2-core machine.
        var final = await client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(100), cancellationToken);
        var cpu = Cpu(groups).Select((seconds, i) => seconds - cpuBefore[i]).ToArray();
        self.Refresh();
        var rssGrowth = (self.PeakWorkingSet64 - rssBefore) / 1e6;
        if (final.Status != RunStatus.Succeeded)
        {
            throw new InvalidOperationException($"biglog run ended {final.Status}: {final.Reason}");
        }

        // Start (the worker claimed it) → complete (the coordinator recorded the result), as the peer harness measures.
        var seconds = (final.FinishedAt.ToDateTimeOffset() - final.StartedAt.ToDateTimeOffset()).TotalSeconds;
        using var stdout = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var segment in client.FollowLogAsync(run.Id, cancellationToken: cancellationToken))
        {
            if (segment.Stream == LogStream.Stdout)
            {
                stdout.AppendData(segment.Data.Span);
            }
        }

        return (seconds, stdout.GetHashAndReset().AsSpan().SequenceEqual(Expected.Value), rssGrowth, cpu);

        // The farm process's reaped children (the step: bash, yes, head) first, then each group's own time plus its children's.
        static double[] Cpu(List<ProcessGroup> groups) =>
            [groups[0].CpuSeconds().Children, .. groups.Select((g, i) => g.CpuSeconds() is var (own, children) ? own + (i == 0 ? 0 : children) : 0)];
    }

    private static async Task<(double P50, double P99, int Count)> FollowerLatencyAsync(BuildFarmClient client, int followers, CancellationToken cancellationToken)
    {
        // 3,000 lines at 1,000 lines/s, each carrying the wall-clock time it was printed.
        const string Printer = "python3 -u -c \"import time\nfor i in range(3000):\n    print('%d %d' % (i, time.time_ns()))\n    time.sleep(0.001 - (time.time() % 0.001))\"";
        await client.ApplyPipelineAsync("bench-follow", "version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        " + Printer.Replace("\n", "\n        ", StringComparison.Ordinal) + "\n", cancellationToken: cancellationToken);
        var run = await client.TriggerRunAsync("bench-follow", cancellationToken: cancellationToken);
        var readers = Enumerable.Range(0, followers).Select(_ => Task.Run(() => FollowAsync(client, run.Id, cancellationToken), cancellationToken)).ToList();
        var all = (await Task.WhenAll(readers)).SelectMany(x => x).ToList();
        return (Percentiles.Of(all, 50), Percentiles.Of(all, 99), all.Count / followers);
    }

    private static async Task<List<double>> FollowAsync(BuildFarmClient client, string runId, CancellationToken cancellationToken)
    {
        var latencies = new List<double>();
        var partial = "";
        await foreach (var segment in client.FollowLogAsync(runId, cancellationToken: cancellationToken))
        {
            var received = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;
            if (segment.Stream != LogStream.Stdout)
            {
                continue;
            }

            var text = partial + segment.Data.ToStringUtf8();
            var lines = text.Split('\n');
            partial = lines[^1];
            foreach (var line in lines[..^1])
            {
                var parts = line.Split(' ');
                if (parts.Length == 2 && long.TryParse(parts[1], out var printed))
                {
                    latencies.Add((received - printed) / 1e6);
                }
            }
        }

        return latencies;
    }
}
