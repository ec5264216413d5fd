using System.Security.Cryptography;
using BuildFarm.IntegrationTests.Fixtures;

namespace BuildFarm.IntegrationTests.Services;

[Collection(RedisCollection.Name)]
public sealed class RedisFixtureTests(RedisFixture redis)
{
    [Fact]
    public async Task Value_set_under_a_prefix_reads_back_identical()
    {
        var prefix = redis.CreateKeyPrefix("redis-fixture");
        var database = redis.Connection.GetDatabase();
        var value = RandomNumberGenerator.GetBytes(256 * 1024);

        Assert.True(await database.StringSetAsync(prefix + "blob", value));
        byte[]? readBack = await database.StringGetAsync(prefix + "blob");

        Assert.StartsWith("bf-redis-fixture-", prefix, StringComparison.Ordinal);
        Assert.Equal(value, readBack);
    }

    [Fact]
    public async Task Each_call_gets_its_own_prefix()
    {
        var first = redis.CreateKeyPrefix("isolation");
        var second = redis.CreateKeyPrefix("isolation");
        var database = redis.Connection.GetDatabase();

        await database.StringSetAsync(first + "key", "first");

        Assert.NotEqual(first, second);
        Assert.False(await database.KeyExistsAsync(second + "key"));
        Assert.Equal("first", (string?)await database.StringGetAsync(first + "key"));
    }
}
