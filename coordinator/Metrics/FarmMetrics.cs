using System.Diagnostics.Metrics;
using BuildFarm.Core.Runs;

namespace BuildFarm.Coordinator.Metrics;

/// <summary>
/// The farm's own instruments, exported at <c>/metrics</c> (Prometheus). Counters and histograms are
/// recorded when a change is committed (<see cref="MetricsCommitObserver"/>), so a rolled-back
/// transaction counts nothing; the gauges are sampled from the database (<see cref="FarmGaugeSampler"/>).
/// </summary>
public sealed class FarmMetrics : IDisposable
{
    public const string MeterName = "BuildFarm.Coordinator";
    private readonly Meter _meter;
    private readonly Counter<long> _runsTriggered;
    private readonly Counter<long> _runsCompleted;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _logBytes;
    private readonly Histogram<double> _outboxLag;
    private readonly Counter<long> _cacheRestores;
    private long _cacheRestored;
    private long _cacheHits;
    private volatile FarmGauges _gauges = FarmGauges.Empty;

    public FarmMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _runsTriggered = _meter.CreateCounter<long>("buildfarm.runs.triggered", "{run}", "Runs stored by a trigger.");
        _runsCompleted = _meter.CreateCounter<long>("buildfarm.runs.completed", "{run}", "Runs that reached a final status, by status.");
        _jobDuration = _meter.CreateHistogram<double>("buildfarm.job.duration", "s", "From a job's start on a worker to its result, by status.");
        _logBytes = _meter.CreateCounter<long>("buildfarm.log.bytes", "By", "Log bytes stored.");
        _outboxLag = _meter.CreateHistogram<double>("buildfarm.outbox.lag", "s", "From a message's commit to the broker's confirm.");
        _cacheRestores = _meter.CreateCounter<long>(
            "buildfarm.cache.restores", "{restore}", "Jobs' dependency cache restores as their workers reported them, by outcome: hit, fallback_hit, miss.");
        _meter.CreateObservableGauge(
            "buildfarm.cache.hit_ratio",
            () => Interlocked.Read(ref _cacheRestored) is > 0 and var total ? (double)Interlocked.Read(ref _cacheHits) / total : 0,
            unit: null,
            description: "Restores that found an entry (hit or fallback hit) over all restores this coordinator counted since it started; over time and coordinators use rate() of buildfarm_cache_restores_total.");
        _meter.CreateObservableGauge("buildfarm.runs.active", () => _gauges.ActiveRuns.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("status", p.Key))), "{run}", "Runs not yet final, by status.");
        _meter.CreateObservableGauge("buildfarm.jobs.queued", () => _gauges.QueuedJobs, "{job}", "Jobs waiting for a worker: the dispatch queue's depth.");
        _meter.CreateObservableGauge("buildfarm.outbox.pending", () => _gauges.PendingOutbox, "{message}", "Committed messages not yet confirmed by the broker.");
        _meter.CreateObservableGauge("buildfarm.workers.live", () => _gauges.LiveWorkers, "{worker}", "Workers that heartbeated within the lease.");
    }

    public void RunTriggered() => _runsTriggered.Add(1);

    public void RunCompleted(RunStatus status) => _runsCompleted.Add(1, new KeyValuePair<string, object?>("status", status.ToString()));

    public void JobFinished(RunStatus status, TimeSpan duration) =>
        _jobDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("status", status.ToString()));

    public void LogStored(long bytes) => _logBytes.Add(bytes);

    public void OutboxSent(TimeSpan lag) => _outboxLag.Record(Math.Max(0, lag.TotalSeconds));

    /// <summary>Counts a job's cache restore as its worker reported it (Hit, FallbackHit, Miss); anything else, or none, is not counted.</summary>
    public void CacheRestored(string? outcome)
    {
        var label = outcome switch
        {
            "Hit" => "hit",
            "FallbackHit" => "fallback_hit",
            "Miss" => "miss",
            _ => null,
        };
        if (label is null)
        {
            return;
        }

        Interlocked.Increment(ref _cacheRestored);
        if (label != "miss")
        {
            Interlocked.Increment(ref _cacheHits);
        }

        _cacheRestores.Add(1, new KeyValuePair<string, object?>("outcome", label));
    }

    public void Update(FarmGauges gauges) => _gauges = gauges;

    public void Dispose() => _meter.Dispose();
}
