using BuildFarm.Core.Deployments;
using BuildFarm.Core.Runs;

namespace BuildFarm.UnitTests.Core.Runs;

public sealed class WorkerLabelsTests
{
    [Fact]
    public void Plain_labels_pass() => Assert.Null(WorkerLabels.Check(["gpu", "arch:arm64", "java/corretto17"]));

    [Theory]
    [InlineData("", "label '' is invalid")]
    [InlineData("has space", "label 'has space' is invalid")]
    [InlineData("a,b", "label 'a,b' is invalid")]
    public void Bad_labels_are_named(string label, string expected) =>
        Assert.StartsWith(expected, WorkerLabels.Check([label]), StringComparison.Ordinal);

    [Fact]
    public void Too_many_or_repeated_labels_are_refused()
    {
        Assert.Equal("at most 16 labels; got 17.", WorkerLabels.Check([.. Enumerable.Range(0, 17).Select(i => $"l{i}")]));
        Assert.Equal("a label is listed twice.", WorkerLabels.Check(["gpu", "gpu"]));
    }

    [Fact]
    public void Missing_lists_what_the_worker_lacks_in_order() =>
        Assert.Equal(["linux", "cuda"], WorkerLabels.Missing(["linux", "gpu", "cuda"], ["gpu"]));

    [Fact]
    public void Worker_and_agent_queues_are_broker_safe_names()
    {
        Assert.Equal("run-job-worker-build-01.example", WorkerQueue.For("Build 01.example".Replace(' ', '-')));
        Assert.Equal("run-job-worker-w-1-", WorkerQueue.For("w 1!"));
        Assert.Equal("deploy-agent-host-1", AgentQueue.For("Host 1"));
    }
}
