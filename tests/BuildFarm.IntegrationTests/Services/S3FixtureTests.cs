using System.Security.Cryptography;
using Amazon.S3.Model;
using BuildFarm.IntegrationTests.Fixtures;

namespace BuildFarm.IntegrationTests.Services;

[Collection(S3Collection.Name)]
public sealed class S3FixtureTests(S3Fixture s3)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(22)]
    [InlineData(3 * 1024 * 1024 + 7)]
    public async Task Object_put_without_chunk_encoding_reads_back_identical(int size)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var content = RandomNumberGenerator.GetBytes(size);
        var bucket = await s3.CreateBucketAsync("s3-fixture", timeout.Token);

        await s3.Client.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = bucket,
                Key = "dir/object.bin",
                InputStream = new MemoryStream(content),
                UseChunkEncoding = false,
            },
            timeout.Token);
        using var response = await s3.Client.GetObjectAsync(bucket, "dir/object.bin", timeout.Token);
        using var readBack = new MemoryStream();
        await response.ResponseStream.CopyToAsync(readBack, timeout.Token);

        Assert.StartsWith("bf-s3-fixture-", bucket, StringComparison.Ordinal);
        Assert.Equal(size, response.ContentLength);
        Assert.Equal(content, readBack.ToArray());
    }

    [Fact]
    public async Task Each_call_gets_its_own_empty_bucket()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var first = await s3.CreateBucketAsync("isolation", timeout.Token);
        var second = await s3.CreateBucketAsync("isolation", timeout.Token);

        await s3.Client.PutObjectAsync(
            new PutObjectRequest { BucketName = first, Key = "marker", ContentBody = "x", UseChunkEncoding = false },
            timeout.Token);
        var listed = await s3.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = second }, timeout.Token);

        Assert.NotEqual(first, second);
        Assert.Empty(listed.S3Objects ?? []);
    }
}
