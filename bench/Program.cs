using BuildFarm.Bench.Latency;

// dotnet run -c Release --project bench -- latency [embedded|distributed|both] [--runs N]
var runsIndex = Array.IndexOf(args, "--runs");
var runs = (int)Option("--runs", 50);
switch (args.FirstOrDefault())
{
    case "latency":
        var mode = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "both";
        return await LatencyBenchmark.RunAsync(mode, runs, CancellationToken.None);
    case "validate":
        return BuildFarm.Bench.Validation.ValidationBenchmark.Run(5);
    case "triggers":
        return BuildFarm.Bench.Triggers.TriggerFilterBenchmark.Run(5);
    case "steps":
        return await LatencyBenchmark.StepsAsync(runsIndex >= 0 ? runs : 20, CancellationToken.None);
    case "load":
        return await BuildFarm.Bench.Load.LoadBenchmark.RunAsync(
            runsIndex >= 0 ? runs : 1000, (int)Option("--slots", 1), (int)Option("--coordinators", 1), (int)Option("--workers", 2), (int)Option("--warmup", 200), CancellationToken.None);
    case "soak":
        return await BuildFarm.Bench.Soak.SoakBenchmark.RunAsync(Option("--minutes", 30), Option("--rate", 5), Option("--restart-minutes", 5), CancellationToken.None);
    case "cache":
        return await BuildFarm.Bench.Caching.CacheBenchmark.RunAsync(
            args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : "both", (long)Option("--mb", 1024), CancellationToken.None);
    case "logs" when args.Skip(1).FirstOrDefault() == "rss":
        return await BuildFarm.Bench.Logs.WorkerRssBenchmark.RunAsync((long)Option("--mb", 1000), CancellationToken.None);
    case "logs":
        return await BuildFarm.Bench.Logs.LogBenchmark.RunAsync(
            args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "both", runsIndex >= 0 ? runs : 3, CancellationToken.None);
    case "deploy":
        return await BuildFarm.Bench.Deploy.DeployBenchmark.RunAsync(CancellationToken.None);
    case "pipeline":
        var where = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "both";
        return await BuildFarm.Bench.Pipelines.PushToDeployBenchmark.RunAsync(where, runsIndex >= 0 ? runs : 4, CancellationToken.None);
    default:
        await Console.Error.WriteLineAsync("usage: bench latency [embedded|distributed|both] [--runs N]\n       bench logs [embedded|distributed|both] [--runs N]   (100 MB: a cold run, then the median of N warm runs, default 3)\n       bench logs rss [--mb N]   (a worker process's RSS while a step prints N MB, default 1000)\n       bench load [--runs N] [--slots N] [--coordinators N] [--workers N] [--warmup N]   (N runs at once after warm-up bursts of --warmup runs, default 200, repeated until the coordinator's JIT settles, at most 10; --warmup 1 for a cold farm)\n       bench soak [--minutes N] [--rate R] [--restart-minutes N]   (a steady trickle with worker restarts; RSS, fds, lost runs)\n       bench steps [--runs N]\n       bench validate\n       bench triggers\n       bench cache [redis|s3|both] [--mb N]   (through scripts/bench.sh cache: needs Redis and S3)\n       bench deploy         (through scripts/bench.sh deploy: needs PostgreSQL and RabbitMQ)\n       bench pipeline [embedded|distributed|both] [--runs N]   push → deployed, the seed's flow (scripts/bench.sh pipeline)");
        return 2;
}

// A numeric option's value, or the fallback when it is absent.
double Option(string name, double fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? double.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
