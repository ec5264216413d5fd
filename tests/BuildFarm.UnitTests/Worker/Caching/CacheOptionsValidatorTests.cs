using BuildFarm.Storage.Caching;

namespace BuildFarm.UnitTests.Worker.Caching;

public sealed class CacheOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new CacheOptionsValidator().Validate(null, new CacheOptions()).Succeeded);
    }

    [Fact]
    public void Redis_needs_an_address()
    {
        var result = new CacheOptionsValidator().Validate(null, new CacheOptions { Backend = CacheOptions.RedisBackend });

        Assert.Contains("Cache:RedisConfiguration is required", result.FailureMessage);
    }

    [Fact]
    public void S3_needs_its_endpoint_bucket_and_keys_each_named()
    {
        var result = new CacheOptionsValidator().Validate(null, new CacheOptions { Backend = CacheOptions.S3Backend });

        Assert.Contains("Cache:S3ServiceUrl", result.FailureMessage);
        Assert.Contains("Cache:S3Bucket", result.FailureMessage);
        Assert.Contains("Cache:S3AccessKey", result.FailureMessage);
        Assert.Contains("Cache:S3SecretKey", result.FailureMessage);
    }

    [Fact]
    public void Request_timeouts_may_not_exceed_the_whole_restore()
    {
        var result = new CacheOptionsValidator().Validate(null, new CacheOptions { IdleTimeoutMilliseconds = 60_000, RestoreTimeoutMilliseconds = 10_000 });

        Assert.False(result.Succeeded);
    }
}
