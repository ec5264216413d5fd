using System.Diagnostics.Metrics;

namespace BuildFarm.Worker.Caching;

/// <summary>The cache's counters, on the meter "BuildFarm.Worker.Cache" (any OpenTelemetry or dotnet-counters listener).</summary>
public sealed class CacheMetrics : IDisposable
{
    public const string MeterName = "BuildFarm.Worker.Cache";

    private readonly Meter _meter;
    private readonly Counter<long> _hits;
    private readonly Counter<long> _fallbackHits;
    private readonly Counter<long> _misses;
    private readonly Counter<long> _bytesRestored;
    private readonly Counter<long> _bytesSaved;
    private readonly Histogram<double> _restoreSeconds;
    private readonly Histogram<double> _saveSeconds;

    public CacheMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _hits = _meter.CreateCounter<long>("buildfarm.cache.hits");
        _fallbackHits = _meter.CreateCounter<long>("buildfarm.cache.fallback_hits");
        _misses = _meter.CreateCounter<long>("buildfarm.cache.misses");
        _bytesRestored = _meter.CreateCounter<long>("buildfarm.cache.bytes_restored", "By", "Compressed bytes downloaded by restores");
        _bytesSaved = _meter.CreateCounter<long>("buildfarm.cache.bytes_saved", "By", "Compressed bytes uploaded by saves");
        _restoreSeconds = _meter.CreateHistogram<double>("buildfarm.cache.restore_seconds", "s");
        _saveSeconds = _meter.CreateHistogram<double>("buildfarm.cache.save_seconds", "s");
    }

    public void Restored(CacheRestoreResult result)
    {
        (result.Outcome switch
        {
            CacheRestoreOutcome.Hit => _hits,
            CacheRestoreOutcome.FallbackHit => _fallbackHits,
            _ => _misses,
        }).Add(1);
        _bytesRestored.Add(result.BytesDownloaded);
        _restoreSeconds.Record(result.Elapsed.TotalSeconds);
    }

    public void Saved(CacheSaveResult result)
    {
        _bytesSaved.Add(result.BytesUploaded);
        _saveSeconds.Record(result.Elapsed.TotalSeconds);
    }

    public void Dispose() => _meter.Dispose();
}
