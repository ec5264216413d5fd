using BuildFarm.Contracts.Events;
using BuildFarm.Core.Notifications;
using MassTransit;

namespace BuildFarm.Coordinator.Notifications.Consumers;

/// <summary>Notification rules and the final GitHub commit status for a run that finished.</summary>
public sealed class RunCompletedConsumer(NotificationPlanner planner) : IConsumer<RunCompleted>
{
    public async Task Consume(ConsumeContext<RunCompleted> context)
    {
        var message = context.Message;
        if (NotificationEvents.FromState(message.Status) is { } outcome)
        {
            await planner.PlanAsync(
                new NotificationSubject(message.RunId, outcome, null, null, message.Reason, message.FinishedAt, message),
                context.CancellationToken);
        }
    }
}
