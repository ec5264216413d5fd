using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>A batch run on its page: each member build is a job with its own log, picked from the job list.</summary>
[Collection(DashboardCollection.Name)]
public sealed class BatchRunPageTests(DashboardFixture farm)
{
    [Fact]
    public async Task Each_member_build_links_to_its_own_log()
    {
        await farm.ApplyPipelineAsync("batch-logs", """
            version: 0.2
            batch:
              build-graph:
                - identifier: first
                - identifier: second
                  depend-on:
                    - first
            phases:
              build:
                commands:
                  - echo "member says $CODEBUILD_BATCH_BUILD_IDENTIFIER"
            """);
        var runId = await farm.TriggerAsync("batch-logs");
        Assert.Equal("Succeeded", await farm.WaitForRunAsync(runId, TimeSpan.FromMinutes(2)));
        var page = await farm.NewPageAsync();
        await page.GotoAsync(farm.Url($"#/runs/{runId}"));

        // The first member's log is shown at first, and only its own lines.
        await Expect(page.Locator(".log-line", new() { HasText = "member says first" })).ToBeVisibleAsync();
        await Expect(page.Locator(".log-line", new() { HasText = "member says second" })).ToHaveCountAsync(0);

        var second = page.GetByRole(AriaRole.Region, new() { Name = "Job second" });
        await second.GetByRole(AriaRole.Link, new() { Name = "Show log" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"\?job="));
        await Expect(page.Locator(".log-line", new() { HasText = "member says second" })).ToBeVisibleAsync();
        await Expect(page.Locator(".log-line", new() { HasText = "member says first" })).ToHaveCountAsync(0);
        await Expect(page.Locator("#log-heading")).ToHaveTextAsync("Log of second");
        await Expect(second.GetByRole(AriaRole.Link, new() { Name = "Log shown below" })).ToHaveAttributeAsync("aria-current", "true");
        await farm.ScreenshotAsync(page, "run-batch");
        await page.Context.CloseAsync();
    }
}
