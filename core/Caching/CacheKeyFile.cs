namespace BuildFarm.Core.Caching;

/// <summary>One file that goes into a cache key: its path relative to the project root ('/' separated) and its bytes.</summary>
public sealed record CacheKeyFile(string RelativePath, ReadOnlyMemory<byte> Content);
