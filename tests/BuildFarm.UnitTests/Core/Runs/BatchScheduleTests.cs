using BuildFarm.Core.Runs;

namespace BuildFarm.UnitTests.Core.Runs;

/// <summary>CodeBuild's batch rules: graph order, ignore-failure, blocked builds and the batch's status.</summary>
public class BatchScheduleTests
{
    private static BatchMember M(string id, RunStatus status, bool ignore = false, params string[] dependOn) => new(id, dependOn, ignore, status);

    [Fact]
    public void Only_builds_without_dependencies_start_first_and_a_build_starts_when_all_of_its_own_succeeded()
    {
        var start = new[]
        {
            M("compile", RunStatus.Waiting), M("lint", RunStatus.Waiting),
            M("test", RunStatus.Waiting, false, "compile"), M("package", RunStatus.Waiting, false, "test", "lint"),
        };

        Assert.Equal(["compile", "lint"], BatchSchedule.Ready(start).Select(m => m.Identifier));
        Assert.Empty(BatchSchedule.Ready([M("compile", RunStatus.Running), M("lint", RunStatus.Succeeded), start[2], start[3]]));
        Assert.Equal(["test"], BatchSchedule.Ready([M("compile", RunStatus.Succeeded), M("lint", RunStatus.Running), start[2], start[3]]).Select(m => m.Identifier));
        Assert.Equal(["package"], BatchSchedule.Ready([M("compile", RunStatus.Succeeded), M("lint", RunStatus.Succeeded), M("test", RunStatus.Succeeded, false, "compile"), start[3]]).Select(m => m.Identifier));
    }

    [Fact]
    public void A_dependency_that_failed_with_ignore_failure_lets_its_dependents_start_and_the_batch_succeed()
    {
        var members = new[] { M("flaky", RunStatus.Failed, ignore: true), M("after", RunStatus.Waiting, false, "flaky") };

        Assert.Equal(["after"], BatchSchedule.Ready(members).Select(m => m.Identifier));
        Assert.Empty(BatchSchedule.Blocked(members));
        Assert.Equal(RunStatus.Running, BatchSchedule.Aggregate(members));
        Assert.Equal(RunStatus.Succeeded, BatchSchedule.Aggregate([members[0], M("after", RunStatus.Succeeded, false, "flaky")]));
    }

    [Fact]
    public void A_failed_dependency_blocks_its_dependents_down_the_chain_and_fails_the_batch_once_the_rest_is_done()
    {
        var members = new[]
        {
            M("a", RunStatus.Failed), M("b", RunStatus.Waiting, false, "a"), M("c", RunStatus.Waiting, false, "b"),
            M("other", RunStatus.Running),
        };

        Assert.Empty(BatchSchedule.Ready(members));
        Assert.Equal([("b", "'a' failed"), ("c", "'a' failed")], BatchSchedule.Blocked(members).Select(b => (b.Member.Identifier, b.Cause)));
        Assert.Equal(RunStatus.Running, BatchSchedule.Aggregate(members));
        Assert.Equal(RunStatus.Failed, BatchSchedule.Aggregate([.. members[..3], M("other", RunStatus.Succeeded)]));
        Assert.Equal("a", BatchSchedule.FirstFailure(members)?.Identifier);
    }

    [Theory]
    [InlineData(RunStatus.Succeeded, RunStatus.Succeeded, false, RunStatus.Succeeded)]
    [InlineData(RunStatus.Succeeded, RunStatus.Failed, true, RunStatus.Succeeded)]
    [InlineData(RunStatus.Succeeded, RunStatus.Failed, false, RunStatus.Failed)]
    [InlineData(RunStatus.Cancelled, RunStatus.Failed, false, RunStatus.Failed)] // fast-fail stopped the one, the other failed: a failure
    [InlineData(RunStatus.Cancelled, RunStatus.Succeeded, false, RunStatus.Cancelled)]
    [InlineData(RunStatus.Cancelled, RunStatus.Failed, true, RunStatus.Cancelled)]
    [InlineData(RunStatus.Queued, RunStatus.Queued, false, RunStatus.Queued)]
    [InlineData(RunStatus.Running, RunStatus.Failed, false, RunStatus.Running)]
    [InlineData(RunStatus.Cancelling, RunStatus.Failed, false, RunStatus.Cancelling)]
    public void The_batch_succeeds_only_when_every_build_that_may_not_fail_succeeded(RunStatus first, RunStatus second, bool secondIgnoresFailure, RunStatus batch)
    {
        Assert.Equal(batch, BatchSchedule.Aggregate([M("one", first), M("two", second, secondIgnoresFailure)]));
    }

    [Fact]
    public void A_batch_with_nothing_started_is_queued()
    {
        Assert.Equal(RunStatus.Queued, BatchSchedule.Aggregate([M("a", RunStatus.Waiting), M("b", RunStatus.Waiting, false, "a")]));
        Assert.Equal(RunStatus.Queued, BatchSchedule.Aggregate([]));
    }
}
