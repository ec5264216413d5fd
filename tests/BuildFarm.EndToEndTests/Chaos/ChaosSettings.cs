namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// Every timing of the chaos scenarios, in one place. The farm runs with short heartbeats and leases
/// so that a lost worker is noticed in seconds; every wait below is an upper bound, never a sleep
/// the scenarios depend on, except <see cref="QueuedHold"/>, which is what scenario (c) asserts over.
/// </summary>
internal static class ChaosSettings
{
    /// <summary>Worker:HeartbeatSeconds.</summary>
    public const int HeartbeatSeconds = 1;

    /// <summary>Scheduling:LeaseSeconds: a killed worker is lost this long after its last heartbeat.</summary>
    public const int LeaseSeconds = 4;

    /// <summary>
    /// Scheduling:LeaseSeconds in the coordinator-restart scenario, where no worker is lost. The
    /// worker's gRPC channel backs off its reconnects (Grpc.Net.Client's default: 1 s, ×1.6 per
    /// failure, ±20 % jitter, up to 120 s), so after a ~6 s outage its next attempt may come ~4 s
    /// after the coordinator is back: with the 4 s lease the job would be retried as lost.
    /// </summary>
    public const int RestartLeaseSeconds = 15;

    /// <summary>
    /// Scheduling:LeaseSeconds in the broker-restart scenario, where no worker is lost: the
    /// production default. On a loaded 2-core CI machine the worker's heartbeats were seen to stall
    /// for longer than 4 s while its bus reconnected, and the job was then retried as lost (a known
    /// issue, noted; the scenario is about the broker, not about lease tuning).
    /// </summary>
    public const int BrokerLeaseSeconds = 30;

    /// <summary>
    /// Deployments:AgentSilenceSeconds: long enough for a killed agent to be started again and report its
    /// interrupted hook itself before the sweeper would declare it silent, on a loaded machine.
    /// </summary>
    public const int AgentSilenceSeconds = 15;

    /// <summary>Scheduling:SweepSeconds (and Deployments:SweepSeconds).</summary>
    public const int SweepSeconds = 1;

    /// <summary>Scheduling:MaxAttempts (the default): one lost attempt is retried, a second one fails the job.</summary>
    public const int MaxAttempts = 2;

    /// <summary>How long the build sleeps after writing its count line: long enough to kill a process mid-job.</summary>
    public const int BuildSleepSeconds = 4;

    /// <summary>`dotnet build -c Release` of one host; the first one on a busy 2-core machine is slow.</summary>
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);

    /// <summary>From starting the coordinator process until /healthz answers.</summary>
    public static readonly TimeSpan CoordinatorStartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>From trigger (or from the disturbance) until a run's job has written its count line.</summary>
    public static readonly TimeSpan JobStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Until a run reaches a final status; covers a lease, a sweep, a new worker and a whole build.</summary>
    public static readonly TimeSpan RunFinishTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Scenario (c): how long a run must stay Queued while no worker is up.</summary>
    public static readonly TimeSpan QueuedHold = TimeSpan.FromSeconds(3);

    /// <summary>A whole scenario, setup and cleanup included; the test fails rather than hang past it.</summary>
    public static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(2);

    /// <summary>psql, the management API and the farm's HTTP API: one call.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>After Kill, until the process has exited.</summary>
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Scenario (d): how long the broker stays down, from a clean stop until it is started again
    /// (its boot adds a few seconds more). Production outages run to 30 s; 10 s keeps CI short and
    /// still spans a job's end, a trigger, and several reconnect attempts.
    /// </summary>
    public static readonly TimeSpan BrokerOutage = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long PostgreSQL stays down in the outage scenario: longer than the build's remaining sleep, so
    /// its result is reported while the database is away, and shorter than the lease.
    /// </summary>
    public static readonly TimeSpan DatabaseOutage = TimeSpan.FromSeconds(8);

    /// <summary>A RabbitMQ boot (without plugins) on a busy 2-core machine.</summary>
    public static readonly TimeSpan BrokerStartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>After SIGTERM to the broker's VM, until it has stopped cleanly.</summary>
    public static readonly TimeSpan BrokerStopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Scenario (e): runs triggered, alternating between two coordinators.</summary>
    public const int TwoCoordinatorRuns = 20;

    /// <summary>Scenario (f): Worker:DrainSeconds that outlasts the build, so SIGTERM lets it finish.</summary>
    public const int LongDrainSeconds = 20;

    /// <summary>Scenario (g): Worker:DrainSeconds far shorter than the build, so SIGTERM cancels it.</summary>
    public const int ShortDrainSeconds = 1;

    /// <summary>After SIGTERM to a worker, until it has exited by itself: its drain plus the time to stop its bus.</summary>
    public static readonly TimeSpan GracefulExitTimeout = TimeSpan.FromSeconds(LongDrainSeconds + 15);

    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
}
