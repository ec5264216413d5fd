using Microsoft.Extensions.Options;

namespace BuildFarm.Storage.Caching;

/// <summary>What data annotations cannot say: which settings the chosen backend needs.</summary>
public sealed class CacheOptionsValidator : IValidateOptions<CacheOptions>
{
    public ValidateOptionsResult Validate(string? name, CacheOptions options)
    {
        List<string> failures = [];
        switch (options.Backend)
        {
            case CacheOptions.FileSystemBackend when string.IsNullOrWhiteSpace(options.FileSystemRoot):
                failures.Add("Cache:FileSystemRoot is required when Cache:Backend is FileSystem.");
                break;
            case CacheOptions.RedisBackend when string.IsNullOrWhiteSpace(options.RedisConfiguration):
                failures.Add("Cache:RedisConfiguration is required when Cache:Backend is Redis (e.g. 127.0.0.1:6379).");
                break;
            case CacheOptions.S3Backend:
                if (options.S3ServiceUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    failures.Add("Cache:S3ServiceUrl is required when Cache:Backend is S3 (an http or https URL, e.g. http://127.0.0.1:9000).");
                }

                Require(failures, options.S3Bucket, "Cache:S3Bucket");
                Require(failures, options.S3AccessKey, "Cache:S3AccessKey");
                Require(failures, options.S3SecretKey, "Cache:S3SecretKey");
                break;
        }

        if (options.ConnectTimeoutMilliseconds > options.RestoreTimeoutMilliseconds || options.IdleTimeoutMilliseconds > options.RestoreTimeoutMilliseconds)
        {
            failures.Add("Cache:ConnectTimeoutMilliseconds and Cache:IdleTimeoutMilliseconds must not exceed Cache:RestoreTimeoutMilliseconds.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Require(List<string> failures, string? value, string key)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{key} is required when Cache:Backend is S3.");
        }
    }
}
