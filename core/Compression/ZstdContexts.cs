using ZstdSharp;

namespace BuildFarm.Core.Compression;

/// <summary>
/// zstd contexts for the calling thread. They are costly to make and not thread-safe, so each thread
/// keeps one decompressor and one compressor per level (a worker's pool threads serve both the
/// dependency cache and the logs, at different levels, and must not remake one for each switch).
/// </summary>
public static class ZstdContexts
{
    [ThreadStatic]
    private static Dictionary<int, Compressor>? t_compressors;

    [ThreadStatic]
    private static Decompressor? t_decompressor;

    public static Decompressor Decompressing => t_decompressor ??= new Decompressor();

    public static Compressor Compressing(int level)
    {
        var compressors = t_compressors ??= [];
        if (!compressors.TryGetValue(level, out var compressor))
        {
            compressor = new Compressor(level);
            compressors.Add(level, compressor);
        }

        return compressor;
    }
}
