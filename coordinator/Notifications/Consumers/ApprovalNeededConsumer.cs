using BuildFarm.Contracts.Events;
using BuildFarm.Core.Notifications;
using MassTransit;

namespace BuildFarm.Coordinator.Notifications.Consumers;

/// <summary>Notification rules for a manual approval that is waiting.</summary>
public sealed class ApprovalNeededConsumer(NotificationPlanner planner) : IConsumer<ApprovalNeeded>
{
    public Task Consume(ConsumeContext<ApprovalNeeded> context) =>
        planner.PlanAsync(
            new NotificationSubject(context.Message.RunId, NotificationEvent.ApprovalNeeded, context.Message.Stage, context.Message.Action,
                context.Message.Summary, context.Message.At, context.Message),
            context.CancellationToken);
}
