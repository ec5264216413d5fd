using System.Collections.Concurrent;
using BuildFarm.Contracts.Events;
using BuildFarm.Worker.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace BuildFarm.UnitTests.Worker.Jobs;

public sealed class PhaseReportsTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(500);
    private readonly FakeTimeProvider time = new();
    private readonly ConcurrentQueue<string> published = new();
    private readonly SemaphoreSlim publishedOne = new(0);

    [Fact]
    public async Task A_job_that_ends_within_the_delay_reports_its_phases_only_with_its_result()
    {
        await using var reports = NewReports();
        reports.Add(Phase("install"));
        reports.Add(Phase("build"));
        time.Advance(Delay - TimeSpan.FromMilliseconds(1));

        await reports.CloseAsync(sendPending: false);
        time.Advance(Delay);

        Assert.Empty(published);
    }

    [Fact]
    public async Task Phases_go_out_in_order_once_the_delay_has_passed()
    {
        await using var reports = NewReports();
        reports.Add(Phase("install"));
        reports.Add(Phase("pre_build"));
        time.Advance(Delay);
        await WaitForPublishedAsync(2);

        reports.Add(Phase("build"));
        time.Advance(Delay);
        await WaitForPublishedAsync(1);
        await reports.CloseAsync(sendPending: false);

        Assert.Equal(["install", "pre_build", "build"], published);
    }

    [Fact]
    public async Task An_attempt_that_ends_without_a_result_sends_what_is_pending()
    {
        await using var reports = NewReports();
        reports.Add(Phase("build"));

        await reports.CloseAsync(sendPending: true);
        reports.Add(Phase("post_build"));

        Assert.Equal(["build"], published);
    }

    [Fact]
    public async Task A_report_that_failed_for_good_does_not_stop_the_result()
    {
        var tried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var reports = new PhaseReports(_ =>
        {
            tried.TrySetResult();
            return Task.FromException(new InvalidOperationException("broker gone"));
        }, Delay, time);
        reports.Add(Phase("build"));
        time.Advance(Delay);
        await tried.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await reports.CloseAsync(sendPending: false);
    }

    private PhaseReports NewReports() => new(p =>
    {
        published.Enqueue(p.Phase);
        publishedOne.Release();
        return Task.CompletedTask;
    }, Delay, time);

    private async Task WaitForPublishedAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await publishedOne.WaitAsync(TimeSpan.FromSeconds(10)), "a report that was due never went out");
        }
    }

    private static PhaseCompleted Phase(string name) =>
        new(Guid.Empty, Guid.Empty, Guid.Empty, name, "Succeeded", 0, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
