using BuildFarm.Bench.Latency;

// dotnet run -c Release --project bench -- latency [embedded|distributed|both] [--runs N]
var runsIndex = Array.IndexOf(args, "--runs");
var runs = runsIndex >= 0 && runsIndex + 1 < args.Length ? int.Parse(args[runsIndex + 1], System.Globalization.CultureInfo.InvariantCulture) : 50;
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
        var slotsIndex = Array.IndexOf(args, "--slots");
        var slots = slotsIndex >= 0 && slotsIndex + 1 < args.Length ? int.Parse(args[slotsIndex + 1], System.Globalization.CultureInfo.InvariantCulture) : 1;
        return await BuildFarm.Bench.Load.LoadBenchmark.RunAsync(runsIndex >= 0 ? runs : 1000, slots, CancellationToken.None);
    case "cache":
        var mbIndex = Array.IndexOf(args, "--mb");
        var megabytes = mbIndex >= 0 && mbIndex + 1 < args.Length ? long.Parse(args[mbIndex + 1], System.Globalization.CultureInfo.InvariantCulture) : 1024;
        return await BuildFarm.Bench.Caching.CacheBenchmark.RunAsync(megabytes, CancellationToken.None);
    case "logs" when args.Skip(1).FirstOrDefault() == "rss":
        var rssIndex = Array.IndexOf(args, "--mb");
        var printed = rssIndex >= 0 && rssIndex + 1 < args.Length ? long.Parse(args[rssIndex + 1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        return await BuildFarm.Bench.Logs.WorkerRssBenchmark.RunAsync(printed, CancellationToken.None);
    case "logs":
        return await BuildFarm.Bench.Logs.LogBenchmark.RunAsync(
            args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "both", runsIndex >= 0 ? runs : 3, CancellationToken.None);
    case "deploy":
        return await BuildFarm.Bench.Deploy.DeployBenchmark.RunAsync(CancellationToken.None);
    case "pipeline":
        var where = args.Skip(1).FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "both";
        return await BuildFarm.Bench.Pipelines.PushToDeployBenchmark.RunAsync(where, runsIndex >= 0 ? runs : 4, CancellationToken.None);
    default:
        await Console.Error.WriteLineAsync("usage: bench latency [embedded|distributed|both] [--runs N]\n       bench logs [embedded|distributed|both] [--runs N]   (100 MB: a cold run, then the median of N warm runs, default 3)\n       bench logs rss [--mb N]   (a worker process's RSS while a step prints N MB, default 1000)\n       bench load [--runs N] [--slots N]\n       bench steps [--runs N]\n       bench validate\n       bench triggers\n       bench cache [--mb N]   (through scripts/bench.sh cache: needs Redis and S3)\n       bench deploy         (through scripts/bench.sh deploy: needs PostgreSQL and RabbitMQ)\n       bench pipeline [embedded|distributed|both] [--runs N]   push → deployed, the seed's flow (scripts/bench.sh pipeline)");
        return 2;
}
