namespace BuildFarm.Worker.Caching;

/// <summary>What a save did.</summary>
public sealed record CacheSaveResult(CacheSaveOutcome Outcome, string Key, string? Reason)
{
    public int Files { get; init; }

    public long Bytes { get; init; }

    /// <summary>Compressed bytes sent to the store: only blobs it did not have.</summary>
    public long BytesUploaded { get; init; }

    public int BlobsUploaded { get; init; }

    /// <summary>Blobs the store already had (shared with other entries).</summary>
    public int BlobsReused { get; init; }

    /// <summary>Restored files the build never read, left out of the new entry.</summary>
    public int FilesDropped { get; init; }

    public TimeSpan Elapsed { get; init; }
}
