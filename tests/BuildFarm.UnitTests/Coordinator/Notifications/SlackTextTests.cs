extern alias coordinator;

using BuildFarm.Core.Notifications;
using coordinator::BuildFarm.Coordinator.Notifications;

namespace BuildFarm.UnitTests.Coordinator.Notifications;

public sealed class SlackTextTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<NotificationSubject, TimeSpan?, string> Cases => new()
    {
        { new(Guid.Empty, NotificationEvent.Succeeded, "Deploy", "Deploy", null, At, new object()), TimeSpan.FromSeconds(133), "Deploy of corea-backend@abc1234 (stage Deploy) succeeded in 2m13s" },
        { new(Guid.Empty, NotificationEvent.Started, null, null, null, At, new object()), null, "Run of corea-backend@abc1234 started" },
        { new(Guid.Empty, NotificationEvent.Failed, null, null, "phase BUILD exited 2", At, new object()), TimeSpan.FromSeconds(45.4), "Run of corea-backend@abc1234 failed in 45s: phase BUILD exited 2" },
        { new(Guid.Empty, NotificationEvent.Superseded, "Build", null, null, At, new object()), null, "Build of corea-backend@abc1234 was superseded" },
        { new(Guid.Empty, NotificationEvent.ApprovalNeeded, "Approve", "Release", "Ship it?", At, new object()), null, "Approval needed: Release of corea-backend@abc1234 (stage Approve): Ship it?" },
        { new(Guid.Empty, NotificationEvent.Canceled, null, null, null, At, new object()), TimeSpan.FromMinutes(62), "Run of corea-backend@abc1234 was canceled in 1h02m" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Says_what_of_which_commit_ended_how_and_how_long_it_took(NotificationSubject subject, TimeSpan? duration, string expected) =>
        Assert.Equal(expected, SlackText.For(subject, "corea-backend", "abc1234def567890", duration));
}
