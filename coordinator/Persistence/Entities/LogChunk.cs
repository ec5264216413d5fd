using BuildFarm.Core.Logs;

namespace BuildFarm.Coordinator.Persistence.Entities;

/// <summary>A stored slice of a job's log; the key (job, seq) makes a resent chunk a no-op.</summary>
public sealed class LogChunk
{
    public Guid JobId { get; set; }
    public long Seq { get; set; }
    /// <summary>Byte offset of the decoded data in the job's whole log.</summary>
    public long Offset { get; set; }
    /// <summary>
    /// Decoded bytes, stored beside the data so a reader can seek by offset in SQL on any provider;
    /// offsets, ranges and the size cap never see the encoding.
    /// </summary>
    public int Length { get; set; }
    public int Stream { get; set; }
    public DateTimeOffset Time { get; set; }
    /// <summary>How <see cref="Data"/> is encoded, as the worker shipped it; rows stored before compression are raw (0).</summary>
    public LogChunkEncoding Encoding { get; set; }
    public required byte[] Data { get; set; }

    /// <summary>The <see cref="Length"/> bytes of the log this row holds.</summary>
    /// <exception cref="InvalidDataException">The stored data does not decode to them.</exception>
    public byte[] Decode() => LogChunkCodec.Decode(Encoding, Data, Length);
}
