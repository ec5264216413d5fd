namespace BuildFarm.Worker.Caching;

/// <summary>A blob or manifest is missing, does not decompress, or does not hash to its name: the restore becomes a miss.</summary>
public sealed class CacheCorruptException(string message, Exception? inner = null) : Exception(message, inner);
