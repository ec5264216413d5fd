extern alias coordinator;

using coordinator::BuildFarm.Coordinator.Persistence.Postgres;
using Npgsql;

namespace BuildFarm.UnitTests.Coordinator.Persistence;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Turns_on_automatic_preparation_when_the_string_is_silent()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults("Host=127.0.0.1;Database=farm;Username=bf"));

        Assert.Equal(64, builder.MaxAutoPrepare);
        Assert.Equal(2, builder.AutoPrepareMinUsages);
        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal("farm", builder.Database);
        Assert.Equal("bf", builder.Username);
    }

    [Theory]
    [InlineData("Host=h;Max Auto Prepare=0")]
    [InlineData("Host=h;maxautoprepare=0")]
    public void Keeps_what_the_operator_set(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults(connectionString + ";Auto Prepare Min Usages=5"));

        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.Equal(5, builder.AutoPrepareMinUsages);
    }
}
