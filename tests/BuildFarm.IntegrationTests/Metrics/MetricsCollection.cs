namespace BuildFarm.IntegrationTests.Metrics;

/// <summary>
/// /metrics tests run alone. OpenTelemetry listens to meters by name across the process, so while other
/// test classes' coordinators run in parallel their counts would be added to this farm's scrape (and a
/// disposed host's meter can take a stream's earlier counts with it); exact counts need this farm alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
