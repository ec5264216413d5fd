using System.Diagnostics;
using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Triggers;

namespace BuildFarm.Bench.Triggers;

/// <summary>
/// What a webhook delivery costs before anything is stored: parsing a pipeline's <c>triggers</c> (once per
/// version, then cached) and deciding a push against CodePipeline's maximum of 3 filters × 8 patterns per list.
/// </summary>
public static class TriggerFilterBenchmark
{
    private const string Triggers = """
        triggers:
          github:
            push:
              - branches: { include: [main, "release/**", "hotfix/*", "v?/*", "feature/{a,b}-*", "ci/**", "stable", "lts/[0-9]*"], exclude: ["release/old/**"] }
                filePaths: { include: ["backend/**", "libs/**/*.gradle", "*.kts", "gradle/**", "settings.gradle", "build.gradle", "api/**/*.proto", "docker/**"], exclude: ["**/*.md", "docs/**"] }
              - tags: { include: ["v*", "release-*"] }
              - branches: { include: ["**"] }
                filePaths: { include: ["deploy/**"] }
        """;

    public static int Run(int seconds)
    {
        var stopwatch = Stopwatch.StartNew();
        var edges = PipelineEdgesParser.Parse(Triggers, "pipeline.yml");
        var filters = edges.Triggers!.GitHub!;
        // A push touching 200 files, none of which matches the first filter's paths: the slow path, every pattern tried.
        var files = Enumerable.Range(0, 200).Select(i => $"frontend/src/components/widget{i}/Widget{i}.tsx").ToArray();
        var push = GitTriggerEvent.Push("refs/heads/feature/x", files);
        var first = TriggerFilterEvaluator.Evaluate(filters, push);
        var firstMs = stopwatch.Elapsed.TotalMilliseconds;

        var decisions = 0L;
        stopwatch.Restart();
        while (stopwatch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 100; i++)
            {
                TriggerFilterEvaluator.Evaluate(filters, push);
            }
            decisions += 100;
        }
        var perSecond = decisions / stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"triggers: first decision (parse + compile patterns) {firstMs:F1} ms; {perSecond:N0} decisions/s for a 200-file push against 3 filters (matched: {first.Matched})");
        Console.WriteLine($"triggers: {1_000_000 / perSecond:F1} µs per webhook decision");
        return 0;
    }
}
