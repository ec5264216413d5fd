namespace BuildFarm.Core.Logs;

/// <summary>How a stored or shipped log chunk's bytes are encoded; the values are those of the proto's LogEncoding.</summary>
public enum LogChunkEncoding
{
    /// <summary>The log's bytes as printed (after masking). Chunks stored before compression are all raw.</summary>
    Raw = 0,

    /// <summary>One zstd frame.</summary>
    Zstd = 1,
}
