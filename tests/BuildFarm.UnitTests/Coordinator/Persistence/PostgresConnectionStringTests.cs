extern alias coordinator;

using coordinator::BuildFarm.Coordinator.Persistence.Postgres;
using Npgsql;

namespace BuildFarm.UnitTests.Coordinator.Persistence;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Adds_the_defaults_when_the_string_is_silent()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults("Host=127.0.0.1;Database=farm;Username=bf"));

        Assert.Equal(64, builder.MaxAutoPrepare);
        Assert.Equal(2, builder.AutoPrepareMinUsages);
        Assert.True(builder.NoResetOnClose);
        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal("farm", builder.Database);
        Assert.Equal("bf", builder.Username);
    }

    [Theory]
    [InlineData("Host=h;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=h;maxautoprepare=0;NoResetOnClose=false")]
    public void Keeps_what_the_operator_set(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults(connectionString + ";Auto Prepare Min Usages=5"));

        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.Equal(5, builder.AutoPrepareMinUsages);
        Assert.False(builder.NoResetOnClose);
    }

    [Fact]
    public void A_value_that_merely_contains_a_key_name_sets_nothing()
    {
        // A password is a value, not a key: it must not stop the defaults from applying.
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.WithDefaults("Host=h;Password='Max Auto Prepare=0;NoResetOnClose'"));

        Assert.Equal(64, builder.MaxAutoPrepare);
        Assert.True(builder.NoResetOnClose);
        Assert.Equal("Max Auto Prepare=0;NoResetOnClose", builder.Password);
    }
}
