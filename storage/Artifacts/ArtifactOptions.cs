using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Storage.Artifacts;

/// <summary>Where the worker stores the artifacts a buildspec declares; checked at start by <c>ArtifactOptionsValidator</c>.</summary>
public sealed class ArtifactOptions
{
    public const string SectionName = "Artifacts";
    public const string FileSystemBackend = "FileSystem";
    public const string S3Backend = "S3";

    /// <summary>S3's smallest part (all but the last); below it CompleteMultipartUpload fails.</summary>
    public const long MinPartSizeBytes = 5L * 1024 * 1024;

    /// <summary>A part is buffered in one array; S3 itself allows 5 GiB.</summary>
    public const long MaxPartSizeBytes = 1024L * 1024 * 1024;

    [Required(ErrorMessage = "Artifacts:Backend is required (FileSystem or S3).")]
    [AllowedValues(FileSystemBackend, S3Backend, ErrorMessage = "Artifacts:Backend must be FileSystem or S3.")]
    public string Backend { get; set; } = FileSystemBackend;

    /// <summary>With the FileSystem backend: the directory artifacts are kept under, created when first needed.</summary>
    public string FileSystemRoot { get; set; } = Path.Combine(Path.GetTempPath(), "buildfarm-artifacts");

    /// <summary>With the S3 backend: the endpoint, e.g. http://127.0.0.1:9000 for MinIO; requests use path-style addressing.</summary>
    public Uri? S3ServiceUrl { get; set; }

    public string? S3Bucket { get; set; }

    /// <summary>Prepended to every key in the bucket, e.g. "artifacts/"; empty for the bucket's root.</summary>
    public string S3Prefix { get; set; } = "";

    public string? S3AccessKey { get; set; }

    public string? S3SecretKey { get; set; }

    /// <summary>Only used to sign requests; S3-compatible servers accept us-east-1.</summary>
    [Required(ErrorMessage = "Artifacts:S3Region is required.")]
    public string S3Region { get; set; } = "us-east-1";

    /// <summary>
    /// Artifacts up to this size go up in one PUT, larger ones in parts of this size; two parts are
    /// held in memory per upload.
    /// </summary>
    [Range(typeof(long), "5242880", "1073741824", ErrorMessage = "Artifacts:PartSizeBytes must be between 5 MiB and 1 GiB.")]
    public long PartSizeBytes { get; set; } = 8L * 1024 * 1024;
}
