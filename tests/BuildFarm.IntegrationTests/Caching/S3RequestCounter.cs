using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.S3;
using BuildFarm.IntegrationTests.Fixtures;

namespace BuildFarm.IntegrationTests.Caching;

/// <summary>An S3 client of its own on the test server that counts the requests it sends, by kind (GetObjectRequest, PutObjectRequest, …).</summary>
internal sealed class S3RequestCounter : IDisposable
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public S3RequestCounter(S3Fixture s3)
    {
        var client = new AmazonS3Client(
            new BasicAWSCredentials(S3Fixture.AccessKey, S3Fixture.SecretKey),
            new AmazonS3Config { ServiceURL = s3.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        client.BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs { Request: { } request })
            {
                _counts.AddOrUpdate(request.GetType().Name, 1, (_, n) => n + 1);
            }
        };
        Client = client;
    }

    public IAmazonS3 Client { get; }

    public int this[string requestType] => _counts.GetValueOrDefault(requestType);

    public int Total => _counts.Values.Sum();

    public void Reset() => _counts.Clear();

    public void Dispose() => Client.Dispose();
}
