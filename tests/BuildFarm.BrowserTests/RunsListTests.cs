using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>The runs list refreshes by itself, filters by status, and shows source and trigger.</summary>
[Collection(DashboardCollection.Name)]
public sealed class RunsListTests(DashboardFixture farm)
{
    [Fact]
    public async Task The_runs_list_shows_new_runs_without_a_reload_and_filters_by_status()
    {
        await farm.ApplyPipelineAsync("listed", """
            version: 0.2
            phases:
              build:
                commands:
                  - test "$SHOULD_FAIL" != yes
            """);
        var page = await farm.NewPageAsync();
        await page.GotoAsync(farm.Url("#/runs?pipeline=listed"));
        await Expect(page.GetByText("No runs match.")).ToBeVisibleAsync();

        var ok = await farm.TriggerAsync("listed");
        var row = page.Locator("table.runs tbody tr", new() { Has = page.Locator($"a[href='#/runs/{ok}']") });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Expect(row).ToContainTextAsync("http");

        using var failing = await farm.Http.PostAsync("/api/runs", System.Net.Http.Json.JsonContent.Create(new
        {
            pipeline = "listed",
            variables = new Dictionary<string, string>
            {
                ["SHOULD_FAIL"] = "yes",
                ["CODEBUILD_WEBHOOK_TRIGGER"] = "branch/feature-x",
                ["CODEBUILD_RESOLVED_SOURCE_VERSION"] = "0123456789abcdef0123456789abcdef01234567",
            },
        }));
        failing.EnsureSuccessStatusCode();
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(2);
        var failedRow = page.Locator("table.runs tbody tr", new() { HasText = "feature-x" });
        await Expect(failedRow.Locator(".badge")).ToHaveTextAsync("Failed", new() { Timeout = 30_000 });
        await Expect(failedRow).ToContainTextAsync("0123456789");

        await page.GetByLabel("Status").SelectOptionAsync("Failed");
        await Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("table.runs tbody tr .badge")).ToHaveTextAsync("Failed");
        Assert.Contains("status=Failed", page.Url, StringComparison.Ordinal);

        // Keyset pages, one run each: newest first, Older then Newer walk between them.
        await page.GotoAsync(farm.Url("#/runs?pipeline=listed&pageSize=1"));
        var rows = page.Locator("table.runs tbody tr");
        await Expect(rows).ToContainTextAsync(["feature-x"]);
        await page.GetByRole(AriaRole.Link, new() { Name = "Older →" }).ClickAsync();
        await Expect(rows.Locator($"a[href='#/runs/{ok}']")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Older →" })).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "← Newer" }).ClickAsync();
        await Expect(rows).ToContainTextAsync(["feature-x"]);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "← Newer" })).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }
}
