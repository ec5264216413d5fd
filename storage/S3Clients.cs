using Amazon.Runtime;
using Amazon.S3;

namespace BuildFarm.Storage;

/// <summary>The S3 client settings every store on S3-compatible servers needs; each store adds its own tuning.</summary>
public static class S3Clients
{
    public static AmazonS3Client Create(Uri serviceUrl, string region, string? accessKey, string? secretKey, Action<AmazonS3Config>? tune = null)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = serviceUrl.ToString(),
            // Bucket sub-domains don't resolve for MinIO, s3rver or an IP address.
            ForcePathStyle = true,
            AuthenticationRegion = region,
            // The stores check content with their own SHA-256 and SigV4 signs each body; a CRC per request is only cost.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        tune?.Invoke(config);
        return new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config);
    }
}
