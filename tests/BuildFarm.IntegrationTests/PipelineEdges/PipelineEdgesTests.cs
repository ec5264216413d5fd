extern alias coordinator;

using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildFarm.Contracts.Events;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;
using coordinator::BuildFarm.Coordinator.Options;
using coordinator::BuildFarm.Coordinator.Triggers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BuildFarm.IntegrationTests.PipelineEdges;

/// <summary>
/// Webhook filters, notifications, commit statuses and the cron scheduler on a real farm (PostgreSQL,
/// RabbitMQ), with notification targets and GitHub's API played by a loopback HTTP receiver.
/// </summary>
public sealed class PipelineEdgesTests(EdgesFarmFixture farm) : IClassFixture<EdgesFarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private const string Secret = "webhook-secret-for-edge-tests";
    private const string Echo = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo built\n";

    [Fact]
    public async Task Webhook_filters_answer_200_with_the_reason_and_a_match_is_queued_once()
    {
        await SetUpWebhookAsync("filtered", """
            triggers:
              github:
                push:
                  - branches: { include: [main] }
                    filePaths: { include: ["backend/**"], exclude: ["backend/docs/**"] }
            """);

        var feature = await PushAsync("filtered", Guid.NewGuid().ToString(), "refs/heads/feature/x", "1111111", ["backend/a.java"]);
        var docsOnly = await PushAsync("filtered", Guid.NewGuid().ToString(), "refs/heads/main", "2222222", ["backend/docs/x.md"]);
        var delivery = Guid.NewGuid().ToString();
        var matched = await PushAsync("filtered", delivery, "refs/heads/main", "3333333", ["backend/docs/x.md", "backend/src/A.java"]);
        var redelivered = await PushAsync("filtered", delivery, "refs/heads/main", "3333333", ["backend/docs/x.md", "backend/src/A.java"]);

        Assert.Equal(HttpStatusCode.OK, feature.StatusCode);
        Assert.Contains("branch 'feature/x' is not in main", await feature.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, docsOnly.StatusCode);
        Assert.Contains("none of the 1 changed file(s) is in backend/** except backend/docs/**", await docsOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, matched.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, redelivered.StatusCode);
        var runId = (await matched.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        Assert.Equal(runId, (await redelivered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid());
        using (farm.OpenDatabase(out var db))
        {
            var run = Assert.Single(db.Runs.Where(r => r.PipelineName == "filtered").ToList());
            Assert.Equal(runId, run.Id);
            Assert.Equal($"github:{delivery}", run.IdempotencyKey);
        }
    }

    [Fact]
    public async Task Notifications_are_posted_as_slack_and_json_retried_with_backoff_and_logged()
    {
        await farm.Client.ApplyPipelineAsync("notified", Echo + """
            notifications:
              - name: team-slack
                url: {{farm.Receiver.Url}}slack
                format: slack
              - name: audit
                url: {{farm.Receiver.Url}}audit
                format: json
                events: [SUCCEEDED, FAILED]
            """.Replace("{{farm.Receiver.Url}}", farm.Receiver.Url.ToString(), StringComparison.Ordinal), cancellationToken: Wait.Up(Limit));
        farm.Receiver.FailNext("/slack", 2);

        var created = await farm.Http.PostAsJsonAsync("/api/runs",
            new { pipeline = "notified", variables = new Dictionary<string, string> { ["CODEBUILD_RESOLVED_SOURCE_VERSION"] = "abc1234def5678" } },
            Wait.Up(Limit));
        var runId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var run = await farm.Client.WaitForRunAsync(runId.ToString(), TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var bus = farm.CoordinatorServices.GetRequiredService<IBus>();
        await bus.Publish(new ApprovalNeeded(runId, "notified", "Approve", "Release", "Ship it?", DateTimeOffset.UtcNow), Wait.Up(Limit));

        await Wait.UntilAsync(() => Task.FromResult(farm.Receiver.Received("/slack").Count(r => r.AnsweredStatus == 200) == 3
            && farm.Receiver.Received("/audit").Count == 1), Limit, "three Slack posts and one JSON post");

        var slack = farm.Receiver.Received("/slack");
        Assert.Equal([503, 503, 200], slack.Take(3).Select(r => r.AnsweredStatus));
        var texts = slack.Where(r => r.AnsweredStatus == 200).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("text").GetString()!).ToList();
        Assert.Contains("Run of notified@abc1234 started", texts);
        Assert.Contains(texts, t => t.StartsWith("Run of notified@abc1234 succeeded in ", StringComparison.Ordinal) && t.EndsWith('s'));
        Assert.Contains("Approval needed: Release of notified@abc1234 (stage Approve): Ship it?", texts);
        var audit = JsonDocument.Parse(Assert.Single(farm.Receiver.Received("/audit")).Body).RootElement;
        Assert.Equal(("RunCompleted", "SUCCEEDED", "notified"), (audit.GetProperty("type").GetString(), audit.GetProperty("event").GetString(), audit.GetProperty("pipeline").GetString()));
        Assert.Equal("Succeeded", audit.GetProperty("message").GetProperty("status").GetString());

        var log = await farm.Http.GetFromJsonAsync<JsonElement>($"/api/pipelines/notified/notifications/deliveries?runId={runId}", Wait.Up(Limit));
        var rows = log.EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal("Delivered", r.GetProperty("status").GetString()));
        var slackRows = rows.Where(r => r.GetProperty("target").GetString() == "team-slack").ToList();
        Assert.Equal(3, slackRows.Count);
        // The receiver failed the first two Slack posts, whichever deliveries they belonged to (STARTED and
        // SUCCEEDED may be in flight together): two retries in all, on top of three successes.
        Assert.Equal(5, slackRows.Sum(r => r.GetProperty("attempts").GetInt32()));
        Assert.DoesNotContain(farm.Receiver.Url.ToString(), log.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_run_reports_pending_then_success_to_the_commit_status_api()
    {
        await farm.Http.PutAsJsonAsync("/api/secrets/github/token", new { value = "gh-token-for-tests" }, Wait.Up(Limit));
        await SetUpWebhookAsync("statused", "");
        const string Sha = "0123456789abcdef0123456789abcdef01234567";

        var response = await PushAsync("statused", Guid.NewGuid().ToString(), "refs/heads/main", Sha, ["a.txt"]);
        var runId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetGuid();
        var run = await farm.Client.WaitForRunAsync(runId.ToString(), TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        var path = $"/github/repos/acme/corea/statuses/{Sha}";
        await Wait.UntilAsync(() => Task.FromResult(farm.Receiver.Received(path).Count == 2), Limit, "two commit statuses");

        Assert.Equal(RunStatus.Succeeded, run.Status);
        var statuses = farm.Receiver.Received(path);
        Assert.All(statuses, s => Assert.Equal("Bearer gh-token-for-tests", s.Authorization));
        var bodies = statuses.Select(s => JsonDocument.Parse(s.Body).RootElement).ToList();
        Assert.Equal(["pending", "success"], bodies.Select(b => b.GetProperty("state").GetString()));
        Assert.All(bodies, b => Assert.Equal("buildfarm/statused", b.GetProperty("context").GetString()));
        Assert.All(bodies, b => Assert.EndsWith($"/#/runs/{runId}", b.GetProperty("target_url").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_scheduler_starts_a_cron_slot_once_however_many_coordinators_see_it()
    {
        await farm.Client.ApplyPipelineAsync("nightly", Echo + "triggers:\n  schedule: \"*/5 * * * *\"\n", cancellationToken: Wait.Up(Limit));
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 4, 30, TimeSpan.Zero));
        var first = NewScheduler(clock);
        var second = NewScheduler(clock);
        const string Key = "schedule:nightly:2030-01-01T00:05Z";

        await first.StartAsync(Wait.Up(Limit));
        try
        {
            await Wait.UntilAsync(async () =>
            {
                // The loop may not have reached its timer yet: keep nudging the clock a second at a time.
                if (clock.GetUtcNow() < new DateTimeOffset(2030, 1, 1, 0, 5, 30, TimeSpan.Zero))
                {
                    clock.Advance(TimeSpan.FromSeconds(1));
                }
                using var scope = farm.OpenDatabase(out var db);
                return await Task.FromResult(db.Runs.Any(r => r.IdempotencyKey == Key));
            }, Limit, "the scheduled run");
            var again = await second.TriggerDueAsync(clock.GetUtcNow().AddMinutes(-1), clock.GetUtcNow(), Wait.Up(Limit));

            using var scope = farm.OpenDatabase(out var db);
            var run = Assert.Single(db.Runs.Where(r => r.PipelineName == "nightly").ToList());
            Assert.Equal((Key, "schedule"), (run.IdempotencyKey, run.TriggeredBy));
            Assert.Equal([run.Id], again);
        }
        finally
        {
            await first.StopAsync(CancellationToken.None);
        }
    }

    private PipelineScheduler NewScheduler(TimeProvider clock) =>
        new(farm.CoordinatorServices.GetRequiredService<IServiceScopeFactory>(), clock,
            Microsoft.Extensions.Options.Options.Create(new ScheduleOptions { TickSeconds = 1 }),
            farm.CoordinatorServices.GetRequiredService<IHostApplicationLifetime>(),
            NullLogger<PipelineScheduler>.Instance);

    private async Task SetUpWebhookAsync(string pipeline, string triggers)
    {
        await farm.Http.PutAsJsonAsync($"/api/secrets/webhooks/github/{pipeline}", new { value = Secret }, Wait.Up(Limit));
        await farm.Client.ApplyPipelineAsync(pipeline, Echo + triggers, cancellationToken: Wait.Up(Limit));
    }

    private Task<HttpResponseMessage> PushAsync(string pipeline, string delivery, string gitRef, string sha, string[] changed)
    {
        var body = JsonSerializer.Serialize(new
        {
            @ref = gitRef,
            before = "0000000",
            after = sha,
            repository = new { full_name = "acme/corea", default_branch = "main" },
            commits = new[] { new { id = sha, added = Array.Empty<string>(), modified = changed, removed = Array.Empty<string>() } },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/github/{pipeline}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256",
            "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))));
        return farm.Http.SendAsync(request, Wait.Up(Limit));
    }
}
