namespace BuildFarm.IntegrationTests.Fixtures;

// xunit v2 only finds collection definitions in the test assembly itself, which is why the fixtures live here.
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Postgres";
}
