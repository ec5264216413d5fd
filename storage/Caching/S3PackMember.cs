namespace BuildFarm.Storage.Caching;

/// <summary>One blob in a pack: its hash and where its stored (compressed) bytes lie.</summary>
internal readonly record struct S3PackMember(string Hash, long Offset, int Length);
