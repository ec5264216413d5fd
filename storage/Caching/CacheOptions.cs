using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Storage.Caching;

/// <summary>Where the dependency cache lives and how it behaves; checked at start by <c>CacheOptionsValidator</c>.</summary>
public sealed class CacheOptions
{
    public const string SectionName = "Cache";
    public const string FileSystemBackend = "FileSystem";
    public const string RedisBackend = "Redis";
    public const string S3Backend = "S3";
    public const string HardLinkMaterialisation = "HardLink";
    public const string CopyMaterialisation = "Copy";

    [Required(ErrorMessage = "Cache:Backend is required (FileSystem, Redis or S3).")]
    [AllowedValues(FileSystemBackend, RedisBackend, S3Backend, ErrorMessage = "Cache:Backend must be FileSystem, Redis or S3.")]
    public string Backend { get; set; } = FileSystemBackend;

    /// <summary>With the FileSystem backend: the shared store's directory (embedded mode, or a shared mount).</summary>
    public string FileSystemRoot { get; set; } = Path.Combine(Path.GetTempPath(), "buildfarm-cache-store");

    /// <summary>With the Redis backend: a StackExchange.Redis configuration string, e.g. 127.0.0.1:6379.</summary>
    public string? RedisConfiguration { get; set; }

    /// <summary>Prepended to every Redis key, so one server can hold several farms' caches.</summary>
    public string RedisKeyPrefix { get; set; } = "buildfarm:cache:";

    public Uri? S3ServiceUrl { get; set; }

    public string? S3Bucket { get; set; }

    /// <summary>Prepended to every object key, as a folder.</summary>
    public string S3Prefix { get; set; } = "cache/";

    public string? S3AccessKey { get; set; }

    public string? S3SecretKey { get; set; }

    [Required(ErrorMessage = "Cache:S3Region is required.")]
    public string S3Region { get; set; } = "us-east-1";

    /// <summary>The worker's own blob cache: restores download only what is not here, and materialise from here.</summary>
    [Required(ErrorMessage = "Cache:LocalRoot is required.")]
    public string LocalRoot { get; set; } = Path.Combine(Path.GetTempPath(), "buildfarm-cache-local");

    /// <summary>The local blob cache is trimmed (least recently used first) to this size, at most every ten minutes.</summary>
    [Range(typeof(long), "1048576", "1099511627776000", ErrorMessage = "Cache:LocalBudgetBytes must be between 1 MiB and 1000 TiB.")]
    public long LocalBudgetBytes { get; set; } = 20L * 1024 * 1024 * 1024;

    /// <summary>HardLink (fast, falls back to copying across file systems) or Copy (builds may modify restored files in place).</summary>
    [AllowedValues(HardLinkMaterialisation, CopyMaterialisation, ErrorMessage = "Cache:Materialisation must be HardLink or Copy.")]
    public string Materialisation { get; set; } = HardLinkMaterialisation;

    /// <summary>
    /// Files are split into chunks of this size; each chunk is one blob, well under Redis's 512 MiB
    /// value cap. Memory is about 2 × Parallelism chunks per transfer; most jars are one chunk.
    /// </summary>
    [Range(4096, 256 * 1024 * 1024, ErrorMessage = "Cache:ChunkSizeBytes must be between 4 KiB and 256 MiB.")]
    public int ChunkSizeBytes { get; set; } = 1024 * 1024;

    /// <summary>zstd level; 1-3 keep saves faster than the network, higher trades CPU for bytes.</summary>
    [Range(-7, 19, ErrorMessage = "Cache:CompressionLevel must be between -7 and 19.")]
    public int CompressionLevel { get; set; } = 3;

    /// <summary>Blob transfers in flight at once; memory is about twice this many chunks.</summary>
    [Range(1, 64, ErrorMessage = "Cache:Parallelism must be between 1 and 64.")]
    public int Parallelism { get; set; } = 8;

    [Range(100, 600_000, ErrorMessage = "Cache:ConnectTimeoutMilliseconds must be between 100 and 600000.")]
    public int ConnectTimeoutMilliseconds { get; set; } = 5_000;

    /// <summary>The longest one request may wait for an answer.</summary>
    [Range(100, 600_000, ErrorMessage = "Cache:IdleTimeoutMilliseconds must be between 100 and 600000.")]
    public int IdleTimeoutMilliseconds { get; set; } = 30_000;

    /// <summary>A restore that takes longer is abandoned and treated as a miss.</summary>
    [Range(1_000, 86_400_000, ErrorMessage = "Cache:RestoreTimeoutMilliseconds must be between 1000 and 86400000.")]
    public int RestoreTimeoutMilliseconds { get; set; } = 15 * 60 * 1000;

    /// <summary>A save that takes longer is abandoned; the build's result is unaffected.</summary>
    [Range(1_000, 86_400_000, ErrorMessage = "Cache:SaveTimeoutMilliseconds must be between 1000 and 86400000.")]
    public int SaveTimeoutMilliseconds { get; set; } = 30 * 60 * 1000;

    /// <summary>Entries are evicted, least recently restored first, while the store's unique content exceeds this.</summary>
    [Range(typeof(long), "1048576", "1099511627776000", ErrorMessage = "Cache:BudgetBytes must be between 1 MiB and 1000 TiB.")]
    public long BudgetBytes { get; set; } = 10L * 1024 * 1024 * 1024;

    /// <summary>Entries not restored for this long are evicted whatever the budget.</summary>
    [Range(1, 3650, ErrorMessage = "Cache:IdleDays must be between 1 and 3650.")]
    public int IdleDays { get; set; } = 7;

    /// <summary>A blob written this recently is never deleted as unreferenced: a save may be about to publish the manifest naming it.</summary>
    [Range(1, 1440, ErrorMessage = "Cache:BlobGraceMinutes must be between 1 and 1440.")]
    public int BlobGraceMinutes { get; set; } = 60;

    /// <summary>The automatic key's namespace; empty means the pipeline's name, a shared name lets pipelines share entries.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>Only runs of this branch save, unless the run says otherwise (BUILDFARM_DEFAULT_BRANCH, BUILDFARM_CACHE_WRITE).</summary>
    [Required(ErrorMessage = "Cache:DefaultBranch is required.")]
    public string DefaultBranch { get; set; } = "main";

    /// <summary>Drop restored files the build did not read from the next entry (needs atime; off where the file system does not keep it).</summary>
    public bool DropUnreadFiles { get; set; } = true;
}
