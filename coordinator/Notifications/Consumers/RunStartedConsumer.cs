using BuildFarm.Contracts.Events;
using BuildFarm.Core.Notifications;
using MassTransit;

namespace BuildFarm.Coordinator.Notifications.Consumers;

/// <summary>Notification rules and the GitHub commit status ("pending") for a run that started.</summary>
public sealed class RunStartedConsumer(NotificationPlanner planner) : IConsumer<RunStarted>
{
    public Task Consume(ConsumeContext<RunStarted> context) =>
        planner.PlanAsync(
            new NotificationSubject(context.Message.RunId, NotificationEvent.Started, null, null, null, context.Message.StartedAt, context.Message),
            context.CancellationToken);
}
