namespace BuildFarm.UnitTests.Worker.Logs;

/// <summary>
/// For tests that read GC.GetTotalMemory, which counts what every thread allocates: they run on
/// their own, after the parallel tests, so other tests' garbage does not count against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasuringCollection
{
    public const string Name = "Memory measuring";
}
