using BuildFarm.Contracts.Events;
using BuildFarm.Core.Notifications;
using MassTransit;

namespace BuildFarm.Coordinator.Notifications.Consumers;

/// <summary>Notification rules for a pipeline action's state changes.</summary>
public sealed class ActionStateChangedConsumer(NotificationPlanner planner) : IConsumer<ActionStateChanged>
{
    public async Task Consume(ConsumeContext<ActionStateChanged> context)
    {
        var message = context.Message;
        if (NotificationEvents.FromState(message.State) is { } state)
        {
            await planner.PlanAsync(
                new NotificationSubject(message.RunId, state, message.Stage, message.Action, message.Reason, message.At, message),
                context.CancellationToken);
        }
    }
}
