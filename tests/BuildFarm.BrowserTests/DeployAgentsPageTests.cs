using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using BuildFarm.Cli.Embedded;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>The workers page lists deploy agents (GET /api/agents) beside the workers: tags, state, heartbeat; and each worker's slots in use.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DeployAgentsPageTests(DashboardFixture farm)
{
    [Fact]
    public async Task A_registered_agent_shows_its_tags_and_heartbeat_and_the_worker_its_slots_in_use()
    {
        var root = Directory.CreateTempSubdirectory("bf-browser-agent-").FullName;
        using var agent = FarmHosts.BuildWorker(new Dictionary<string, string?>
        {
            ["Worker:Role"] = "Agent",
            ["Worker:CoordinatorUrl"] = farm.GrpcUrl.ToString(),
            ["Worker:HeartbeatSeconds"] = "1",
            ["Messaging:Transport"] = "InMemory",
            ["Agent:InstanceName"] = "web-host-1",
            ["Agent:Group"] = "web-tier",
            ["Agent:Tags:zone"] = "eu-1",
            ["Agent:Root"] = root,
            ["Artifacts:Backend"] = "FileSystem",
            ["Artifacts:FileSystemRoot"] = Path.Combine(root, "artifacts"),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await agent.StartAsync(timeout.Token);
        try
        {
            var page = await farm.NewPageAsync();
            await page.GotoAsync(farm.Url("#/workers"));
            var row = page.Locator("table.agents tbody tr[data-agent='web-host-1']");
            await Expect(row.Locator(".badge")).ToHaveTextAsync("Alive");
            await Expect(row.Locator("li.tag")).ToContainTextAsync(["deployment-group=web-tier", "zone=eu-1"]);
            var listed = (await farm.Http.GetFromJsonAsync<JsonElement>("/api/agents")).EnumerateArray().Single(a => a.GetProperty("instance").GetString() == "web-host-1");
            await Expect(row).ToContainTextAsync(listed.GetProperty("os").GetString()!);

            // Nothing else runs in this collection meanwhile: the embedded worker holds no job.
            var worker = page.Locator("table.workers tbody tr[data-worker='embedded']");
            await Expect(worker.Locator("td.num")).ToHaveTextAsync(new Regex(@"^\s*0 of [1-9]\d*\s*$"));
            await Expect(worker.Locator("meter")).ToHaveAttributeAsync("value", "0");
            await farm.ScreenshotAsync(page, "workers-and-agents");
            await AxeCheck.AssertNoneAsync(page, "#/workers with an agent");
            await page.Context.CloseAsync();
        }
        finally
        {
            await agent.StopAsync(CancellationToken.None);
            Directory.Delete(root, recursive: true);
        }
    }
}
