namespace BuildFarm.Storage.Caching;

/// <param name="Hash">SHA-256 of the raw chunk.</param>
/// <param name="WrittenAt">When the store last wrote it; a recent blob may belong to a save still in flight.</param>
public sealed record StoredBlob(string Hash, DateTimeOffset WrittenAt);
