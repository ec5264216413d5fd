namespace BuildFarm.IntegrationTests.Scenarios;

/// <summary>One embedded farm shared by the buildspec scenario classes: starting one costs seconds, a run milliseconds.</summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedFarmCollection : ICollectionFixture<EmbeddedFarmFixture>
{
    public const string Name = "EmbeddedFarm";
}
