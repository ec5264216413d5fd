using System.ComponentModel.DataAnnotations;

namespace BuildFarm.Coordinator.Options;

public sealed class CoordinatorOptions
{
    public const string SectionName = "Coordinator";

    /// <summary>Admin HTTP API, dashboard and SSE (HTTP/1.1).</summary>
    [Required]
    public string HttpUrl { get; set; } = "http://127.0.0.1:8080";

    /// <summary>gRPC for the SDK and workers (HTTP/2 without TLS needs its own port).</summary>
    [Required]
    public string GrpcUrl { get; set; } = "http://127.0.0.1:8081";

    /// <summary>Largest definition accepted, in bytes.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxDefinitionBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Largest HTTP request body, in bytes: room for the largest definition JSON-escaped. gRPC calls are
    /// bounded per message instead (a job's log stream is long by nature).
    /// </summary>
    [Range(4096, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
