using BuildFarm.Contracts.Events;
using BuildFarm.Core.Notifications;
using MassTransit;

namespace BuildFarm.Coordinator.Notifications.Consumers;

/// <summary>Notification rules for a pipeline stage's state changes.</summary>
public sealed class StageStateChangedConsumer(NotificationPlanner planner) : IConsumer<StageStateChanged>
{
    public async Task Consume(ConsumeContext<StageStateChanged> context)
    {
        var message = context.Message;
        if (NotificationEvents.FromState(message.State) is { } state)
        {
            await planner.PlanAsync(
                new NotificationSubject(message.RunId, state, message.Stage, null, message.Reason, message.At, message),
                context.CancellationToken);
        }
    }
}
