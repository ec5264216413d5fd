using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.Protos.V1;

namespace BuildFarm.IntegrationTests.Runs;

/// <summary>A signed GitHub push starts a run with CodeBuild's webhook variables; a bad signature stores nothing.</summary>
public sealed class GitHubWebhookTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private const string Secret = "webhook-secret-for-tests";

    [Fact]
    public async Task A_signed_push_is_accepted_once_per_delivery_and_runs_with_the_webhook_variables()
    {
        await SetUpAsync("on-push");
        var body = """{"ref":"refs/heads/main","before":"1111111","after":"abc123def456","sender":{"id":42}}""";
        var delivery = Guid.NewGuid().ToString();

        var first = await SendAsync("on-push", "push", delivery, body, Sign(body, Secret));
        var again = await SendAsync("on-push", "push", delivery, body, Sign(body, Secret));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var runId = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        Assert.Equal(runId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString());
        var run = await farm.Client.WaitForRunAsync(runId, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));
        Assert.Equal(RunStatus.Succeeded, run.Status);
        var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(runId, Wait.Up(Limit)));
        Assert.Contains("PUSH branch/main abc123def456", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_signature_gets_401_and_creates_no_run()
    {
        await SetUpAsync("guarded");
        var body = """{"ref":"refs/heads/main","after":"abc"}""";

        var response = await SendAsync("guarded", "push", Guid.NewGuid().ToString(), body, Sign(body, "not-the-secret"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using (farm.OpenDatabase(out var db))
        {
            Assert.False(db.Runs.Any(r => r.PipelineName == "guarded"));
        }
    }

    [Fact]
    public async Task A_ping_is_answered_and_an_event_that_starts_nothing_says_why()
    {
        await SetUpAsync("pings");
        var closed = """{"action":"closed","number":7,"pull_request":{"number":7}}""";

        var ping = await SendAsync("pings", "ping", Guid.NewGuid().ToString(), "{}", Sign("{}", Secret));
        var ignored = await SendAsync("pings", "pull_request", Guid.NewGuid().ToString(), closed, Sign(closed, Secret));

        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ignored.StatusCode);
        Assert.Contains("ignored", await ignored.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task SetUpAsync(string pipeline)
    {
        await farm.Http.PutAsJsonAsync($"/api/secrets/webhooks/github/{pipeline}", new { value = Secret }, Wait.Up(Limit));
        await farm.Client.ApplyPipelineAsync(pipeline, "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"$CODEBUILD_WEBHOOK_EVENT $CODEBUILD_WEBHOOK_TRIGGER $CODEBUILD_RESOLVED_SOURCE_VERSION\"\n", cancellationToken: Wait.Up(Limit));
    }

    private Task<HttpResponseMessage> SendAsync(string pipeline, string @event, string delivery, string body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/webhooks/github/{pipeline}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-GitHub-Event", @event);
        request.Headers.Add("X-GitHub-Delivery", delivery);
        request.Headers.Add("X-Hub-Signature-256", signature);
        return farm.Http.SendAsync(request, Wait.Up(Limit));
    }

    private static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
