using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace BuildFarm.IntegrationTests.Fixtures;

/// <summary>
/// The S3 server (s3rver) that <c>scripts/test.sh</c> started, shared by the whole run. Each test
/// class asks for a bucket of its own.
/// </summary>
/// <remarks>
/// Every PutObjectRequest and UploadPartRequest against it must set <c>UseChunkEncoding = false</c>:
/// otherwise the SDK sends an aws-chunked body over plain HTTP and s3rver stores the framing as the
/// object, silently. Compare content in tests, never just status codes.
/// </remarks>
public sealed class S3Fixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "BUILDFARM_TEST_S3";

    // s3rver's own default port on loopback, as in the Npgsql pattern, and its fixed credentials.
    public const string DefaultServiceUrl = "http://127.0.0.1:4568";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private static readonly TimeSpan SetupTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> _buckets = [];
    private readonly Lock _bucketsLock = new();
    private readonly AmazonS3Client _client;

    public S3Fixture()
    {
        ServiceUrl = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : DefaultServiceUrl;
        // Path style because bucket sub-domains of 127.0.0.1 don't resolve; the region is only for signing.
        var config = new AmazonS3Config
        {
            ServiceURL = ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        };
        _client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), config);
    }

    public string ServiceUrl { get; }

    public IAmazonS3 Client => _client;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(SetupTimeout);
        try
        {
            await _client.ListBucketsAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is AmazonServiceException or HttpRequestException or OperationCanceledException)
        {
            // Rethrown with the one hint that fixes it: the bare socket error doesn't say where the address came from.
            throw new InvalidOperationException(
                $"S3 is not reachable at {ServiceUrl}. Run the tests through scripts/test.sh, " +
                $"or point {EnvironmentVariable} at an S3 endpoint that accepts {AccessKey}/{SecretKey}.", ex);
        }
    }

    /// <summary>Creates an empty bucket named after <paramref name="prefix"/> and returns its name.</summary>
    public async Task<string> CreateBucketAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = UniqueName.Create(prefix, '-', 63);
        await _client.PutBucketAsync(new PutBucketRequest { BucketName = name }, cancellationToken);
        lock (_bucketsLock)
        {
            _buckets.Add(name);
        }

        return name;
    }

    public async Task DisposeAsync()
    {
        string[] buckets;
        lock (_bucketsLock)
        {
            buckets = [.. _buckets];
        }

        // The test.sh server is thrown away anyway; emptying and deleting matters when the variable
        // points at a developer's long-lived endpoint. A bucket must be empty before it can go.
        using var timeout = new CancellationTokenSource(SetupTimeout);
        foreach (var bucket in buckets)
        {
            var request = new ListObjectsV2Request { BucketName = bucket };
            ListObjectsV2Response listed;
            do
            {
                listed = await _client.ListObjectsV2Async(request, timeout.Token);
                // s3rver (and SDK v4 generally) leaves S3Objects null, not empty, for an empty page.
                foreach (var item in listed.S3Objects ?? [])
                {
                    await _client.DeleteObjectAsync(bucket, item.Key, timeout.Token);
                }

                request.ContinuationToken = listed.NextContinuationToken;
            }
            while (listed.IsTruncated == true);

            await _client.DeleteBucketAsync(bucket, timeout.Token);
        }

        _client.Dispose();
    }
}
