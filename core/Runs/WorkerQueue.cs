namespace BuildFarm.Core.Runs;

/// <summary>
/// A worker's own RabbitMQ queue. Jobs that need worker labels are not put on the shared queue (any
/// worker would take them): the coordinator picks a worker whose labels match and sends the job here.
/// </summary>
public static class WorkerQueue
{
    public static string For(string workerId) => QueueName.Of("run-job-worker-", workerId);
}
