using BuildFarm.IntegrationTests.Fixtures;
using Npgsql;

namespace BuildFarm.IntegrationTests.Services;

[Collection(PostgresCollection.Name)]
public sealed class PostgresFixtureTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Created_database_is_empty_and_answers_queries()
    {
        using var timeout = new CancellationTokenSource(Timeout);

        var connectionString = await postgres.CreateDatabaseAsync("postgres-fixture", timeout.Token);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(timeout.Token);
        await using var command = new NpgsqlCommand(
            "select 1, current_database(), (select count(*) from pg_tables where schemaname = 'public')", connection);
        await using var reader = await command.ExecuteReaderAsync(timeout.Token);
        Assert.True(await reader.ReadAsync(timeout.Token));
        Assert.Equal(1, reader.GetInt32(0));
        Assert.StartsWith("bf_postgres_fixture_", reader.GetString(1), StringComparison.Ordinal);
        Assert.Equal(0L, reader.GetInt64(2));
    }

    [Fact]
    public async Task Each_call_gets_its_own_database()
    {
        using var timeout = new CancellationTokenSource(Timeout);

        var first = await postgres.CreateDatabaseAsync("isolation", timeout.Token);
        var second = await postgres.CreateDatabaseAsync("isolation", timeout.Token);

        await using (var writer = new NpgsqlConnection(first))
        {
            await writer.OpenAsync(timeout.Token);
            await using var create = new NpgsqlCommand("create table marker (id int)", writer);
            await create.ExecuteNonQueryAsync(timeout.Token);
        }

        await using var reader = new NpgsqlConnection(second);
        await reader.OpenAsync(timeout.Token);
        await using var query = new NpgsqlCommand("select to_regclass('public.marker') is null", reader);
        Assert.NotEqual(first, second);
        Assert.Equal(true, await query.ExecuteScalarAsync(timeout.Token));
    }
}
