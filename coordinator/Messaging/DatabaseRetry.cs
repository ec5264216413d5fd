using BuildFarm.Coordinator.Persistence;
using MassTransit;

namespace BuildFarm.Coordinator.Messaging;

/// <summary>
/// What a consumer does while the database is away: retry in place with backoff, for up to about five
/// minutes, instead of the default of moving the message to an _error queue at once. A worker's
/// JobCompleted sent during a PostgreSQL restart would otherwise be parked, the job left Running until
/// its lease lapsed, and the build run a second time as a "lost" attempt. Other exceptions are not
/// retried: they are not going to change on a second try.
/// </summary>
public static class DatabaseRetry
{
    public static void Configure(IRetryConfigurator retry)
    {
        retry.Handle<Exception>(DatabaseUnavailable.Is);
        // 0.2 s, then growing by about 1 s per try up to 5 s: 65 tries cover roughly 5 minutes, well inside
        // RabbitMQ's 30-minute consumer_timeout for the delivery held meanwhile. The 5 s cap keeps the
        // first try after the database is back well inside the lease sweeper's grace of one lease term.
        retry.Exponential(65, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));
    }
}
