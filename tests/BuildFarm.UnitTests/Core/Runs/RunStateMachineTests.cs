using BuildFarm.Core.Runs;

namespace BuildFarm.UnitTests.Core.Runs;

public sealed class RunStateMachineTests
{
    [Theory]
    [InlineData(RunStatus.Queued, RunEvent.Started, RunStatus.Running)]
    [InlineData(RunStatus.Running, RunEvent.Succeeded, RunStatus.Succeeded)]
    [InlineData(RunStatus.Running, RunEvent.Failed, RunStatus.Failed)]
    [InlineData(RunStatus.Queued, RunEvent.CancelRequested, RunStatus.Cancelled)]
    [InlineData(RunStatus.Running, RunEvent.CancelRequested, RunStatus.Cancelling)]
    [InlineData(RunStatus.Cancelling, RunEvent.Cancelled, RunStatus.Cancelled)]
    [InlineData(RunStatus.Running, RunEvent.Cancelled, RunStatus.Cancelled)]
    public void Applies_the_documented_transition(RunStatus from, RunEvent @event, RunStatus to) =>
        Assert.Equal(to, RunStateMachine.Next(from, @event));

    [Theory]
    [InlineData(RunEvent.Succeeded)]
    [InlineData(RunEvent.Failed)]
    public void A_job_that_finishes_while_its_cancel_is_in_flight_ends_cancelled(RunEvent @event) =>
        Assert.Equal(RunStatus.Cancelled, RunStateMachine.Next(RunStatus.Cancelling, @event));

    [Theory]
    [InlineData(RunStatus.Succeeded)]
    [InlineData(RunStatus.Failed)]
    [InlineData(RunStatus.Cancelled)]
    public void A_final_status_never_changes(RunStatus final)
    {
        foreach (var @event in Enum.GetValues<RunEvent>())
        {
            Assert.Null(RunStateMachine.Next(final, @event));
        }
    }

    [Fact]
    public void A_redelivered_start_is_a_no_op() =>
        Assert.Null(RunStateMachine.Next(RunStatus.Running, RunEvent.Started));

    [Fact]
    public void A_run_with_one_failed_job_fails_once_every_job_is_final()
    {
        Assert.Equal(RunStatus.Running, RunStateMachine.Aggregate([RunStatus.Failed, RunStatus.Running]));
        Assert.Equal(RunStatus.Failed, RunStateMachine.Aggregate([RunStatus.Failed, RunStatus.Succeeded]));
    }

    [Fact]
    public void A_run_aggregates_cancel_over_failure_and_success()
    {
        Assert.Equal(RunStatus.Cancelled, RunStateMachine.Aggregate([RunStatus.Cancelled, RunStatus.Failed]));
        Assert.Equal(RunStatus.Cancelling, RunStateMachine.Aggregate([RunStatus.Cancelling, RunStatus.Succeeded]));
        Assert.Equal(RunStatus.Succeeded, RunStateMachine.Aggregate([RunStatus.Succeeded]));
        Assert.Equal(RunStatus.Queued, RunStateMachine.Aggregate([RunStatus.Queued, RunStatus.Queued]));
    }

    [Fact]
    public void Waiting_actions_keep_a_run_going_until_one_fails()
    {
        Assert.Equal(RunStatus.Queued, RunStateMachine.Aggregate([RunStatus.Queued, RunStatus.Waiting]));
        Assert.Equal(RunStatus.Running, RunStateMachine.Aggregate([RunStatus.Succeeded, RunStatus.Waiting]));
        Assert.Equal(RunStatus.Running, RunStateMachine.Aggregate([RunStatus.Succeeded, RunStatus.Queued, RunStatus.Waiting]));
        Assert.Equal(RunStatus.Failed, RunStateMachine.Aggregate([RunStatus.Succeeded, RunStatus.Failed, RunStatus.Waiting]));
        Assert.Equal(RunStatus.Superseded, RunStateMachine.Aggregate([RunStatus.Succeeded, RunStatus.Superseded, RunStatus.Waiting]));
    }

    [Fact]
    public void A_waiting_action_moves_only_when_the_run_is_cancelled()
    {
        Assert.Equal(RunStatus.Cancelled, RunStateMachine.Next(RunStatus.Waiting, RunEvent.CancelRequested));
        Assert.Null(RunStateMachine.Next(RunStatus.Waiting, RunEvent.Started));
        Assert.Null(RunStateMachine.Next(RunStatus.Waiting, RunEvent.Succeeded));
    }
}
