namespace BuildFarm.Storage.Caching;

/// <summary>A complete pack (its object and its index are both listed), with when it was written.</summary>
internal sealed record S3ListedPack(string Hash, DateTimeOffset WrittenAt, IReadOnlyList<S3PackMember> Members);
