using BuildFarm.Worker.Processes;

namespace BuildFarm.UnitTests.Worker.Processes;

public sealed class ProcessTreeTests
{
    [Fact]
    public void Signalling_a_group_that_does_not_exist_reports_it_is_gone()
    {
        // Linux pids never reach int.MaxValue (pid_max is at most 2^22).
        Assert.False(ProcessTree.SignalGroup(int.MaxValue - 1, ProcessSignal.Terminate));
        Assert.False(ProcessTree.IsGroupAlive(int.MaxValue - 1));
        Assert.False(ProcessTree.HasRunningMembers(int.MaxValue - 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-5)]
    public void Group_ids_that_would_signal_the_worker_or_every_process_are_refused(int processGroupId)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProcessTree.SignalGroup(processGroupId, ProcessSignal.Kill));
    }

    [Fact]
    public void The_workers_own_group_is_refused()
    {
        var own = Proc.Stat(Environment.ProcessId)!.Value.ProcessGroup;

        Assert.Throws<InvalidOperationException>(() => ProcessTree.SignalGroup(own, ProcessSignal.None));
    }
}
