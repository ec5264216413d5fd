extern alias coordinator;

using coordinator::BuildFarm.Coordinator.Runs.Scheduling;

namespace BuildFarm.UnitTests.Coordinator.Scheduling;

public sealed class LabelledWorkerChoiceTests
{
    private static readonly DateTimeOffset Seen = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);

    private static CandidateWorker Worker(string id, string[] labels, int load = 0, int free = 1, bool alive = true, WorkerMode mode = WorkerMode.Active) =>
        new(id, alive, mode, labels, load, free, Seen);

    [Fact]
    public void The_least_loaded_worker_with_every_label_is_picked()
    {
        var pick = LabelledWorkerChoice.Choose(["gpu", "linux"],
        [
            Worker("a", ["gpu"]),
            Worker("b", ["linux", "gpu"], load: 2),
            Worker("c", ["gpu", "linux", "cuda"], load: 1),
        ]);

        Assert.Equal("c", pick.WorkerId);
        Assert.Equal("waiting for worker c to claim it", pick.WaitingReason);
    }

    [Fact]
    public void Equal_load_prefers_more_free_slots_then_the_lower_id()
    {
        Assert.Equal("b", LabelledWorkerChoice.Choose(["x"], [Worker("a", ["x"], free: 1), Worker("b", ["x"], free: 3)]).WorkerId);
        Assert.Equal("a", LabelledWorkerChoice.Choose(["x"], [Worker("b", ["x"]), Worker("a", ["x"])]).WorkerId);
    }

    [Fact]
    public void No_worker_with_the_labels_says_so_in_the_issues_words()
    {
        Assert.Equal("waiting: no worker with label gpu", LabelledWorkerChoice.Choose(["gpu"], [Worker("a", ["cpu"])]).WaitingReason);
        Assert.Equal("waiting: no worker with labels gpu, linux", LabelledWorkerChoice.Choose(["gpu", "linux"], [Worker("a", ["gpu"])]).WaitingReason);
        Assert.Null(LabelledWorkerChoice.Choose(["gpu"], []).WorkerId);
    }

    [Fact]
    public void Labelled_workers_that_are_silent_or_not_active_are_named_with_why()
    {
        var pick = LabelledWorkerChoice.Choose(["gpu"],
        [
            Worker("g1", ["gpu"], alive: false),
            Worker("g2", ["gpu"], mode: WorkerMode.Draining),
            Worker("g3", ["gpu"], mode: WorkerMode.Disabled),
        ]);

        Assert.Null(pick.WorkerId);
        Assert.Equal("waiting: no live worker with label gpu (g1 silent since 2026-12-07T04:00:00.0000000+00:00; g2 is draining; g3 is disabled)", pick.WaitingReason);
    }

    [Fact]
    public void Labels_compare_exactly_case_included()
    {
        Assert.Null(LabelledWorkerChoice.Choose(["GPU"], [Worker("a", ["gpu"])]).WorkerId);
    }
}
