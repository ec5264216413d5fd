using System.ComponentModel.DataAnnotations;
using BuildFarm.Core.Logs;

namespace BuildFarm.Worker.Options;

/// <summary>How much of a job's log the worker keeps, in memory and in total.</summary>
public sealed class LogOptions
{
    public const string SectionName = "Logs";
    public const long DefaultMemoryBudgetBytes = 8L * 1024 * 1024;
    public const long DefaultMaxLogBytes = 1024L * 1024 * 1024;

    /// <summary>
    /// Per job: log bytes not yet acknowledged by the coordinator that stay in memory; the rest
    /// waits in a file under <see cref="SpillDirectory"/>. It also bounds the bytes in flight.
    /// </summary>
    [Range(typeof(long), "1048576", "1073741824", ErrorMessage = "Logs:MemoryBudgetBytes must be between 1 MiB and 1 GiB.")]
    public long MemoryBudgetBytes { get; set; } = DefaultMemoryBudgetBytes;

    /// <summary>Per job: output past this many bytes is counted and dropped, after one marker line; the step keeps running.</summary>
    [Range(typeof(long), "65536", "1099511627776", ErrorMessage = "Logs:MaxLogBytes must be between 64 KiB and 1 TiB.")]
    public long MaxLogBytes { get; set; } = DefaultMaxLogBytes;

    /// <summary>Where a job's unacknowledged log goes when it outgrows the memory budget; created when first needed.</summary>
    [Required(ErrorMessage = "Logs:SpillDirectory is required.")]
    public string SpillDirectory { get; set; } = Path.Combine(Path.GetTempPath(), "buildfarm-log-spill");

    /// <summary>
    /// The longest a printed byte waits before it is sent. Chunks fill to 64 KiB at once under heavy
    /// output, so this only matters for slow output, where it is what a live follower waits.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Logs:FlushMilliseconds must be between 1 and 1000.")]
    public int FlushMilliseconds { get; set; } = 10;

    /// <summary>
    /// zstd level for log chunks, applied after masking and batching; the coordinator stores and
    /// ships them compressed. Negative levels are faster still; 0 sends the log raw.
    /// </summary>
    [Range(-7, 19, ErrorMessage = "Logs:CompressionLevel must be between -7 and 19 (0 turns compression off).")]
    public int CompressionLevel { get; set; } = LogChunkCodec.DefaultLevel;
}
