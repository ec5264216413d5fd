namespace BuildFarm.EndToEndTests;

/// <summary>The CLI tests share one build of ./buildfarm, so they run one after another.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CliCollection
{
    public const string Name = "cli";
}
