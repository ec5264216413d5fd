namespace BuildFarm.Storage.Caching;

/// <summary>Where a packed blob can be read: the pack's hash and the member's place in it.</summary>
internal readonly record struct S3PackedBlob(string Pack, long Offset, int Length);
