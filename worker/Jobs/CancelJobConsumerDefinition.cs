using BuildFarm.Worker.Options;
using MassTransit;
using Microsoft.Extensions.Options;

namespace BuildFarm.Worker.Jobs;

/// <summary>
/// An instance queue per worker (auto-deleted with it), so a published CancelJob reaches every
/// worker. The heartbeat reply carries cancellations too, as a backstop.
/// </summary>
public sealed class CancelJobConsumerDefinition : ConsumerDefinition<CancelJobConsumer>
{
    public CancelJobConsumerDefinition(IOptions<WorkerOptions> worker)
    {
        Endpoint(e =>
        {
            e.InstanceId = Sanitize(worker.Value.Id);
            e.Temporary = true;
        });
    }

    private static string Sanitize(string id) =>
        new(id.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? char.ToLowerInvariant(c) : '-').ToArray());
}
