namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// The chaos scenarios share one build of the hosts and run alone, one after another: their leases
/// are seconds long, and a farm starved of CPU by another farm would look like a lost worker.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChaosCollection : ICollectionFixture<ChaosFixture>
{
    public const string Name = "chaos";
}
