using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>The workers page with tokens on: a viewer sees the worker's labels and no Drain button; an operator drains the worker and enables it again.</summary>
[Collection(DashboardCollection.Name)]
public sealed class WorkersPageTests(DashboardFixture browser, SecuredFarmFixture farm) : IClassFixture<SecuredFarmFixture>
{
    [Fact]
    public async Task A_viewer_has_no_drain_button_and_an_operator_drains_and_enables_the_worker()
    {
        var viewer = await farm.CreateTokenAsync("workers-viewer", "viewer");
        var operatorToken = await farm.CreateTokenAsync("workers-operator", "operator");

        var page = await browser.SignInAsync(farm, viewer);
        await page.GotoAsync(farm.Url("#/workers"));
        await Expect(page.Locator("tbody tr")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(page.Locator("tbody tr td").Last).ToContainTextAsync("Active");
        await Expect(page.GetByRole(AriaRole.List, new() { Name = "Labels of embedded" }).GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["linux", "java:17"]);
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Drain ") })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();

        page = await browser.SignInAsync(farm, operatorToken);
        await page.GotoAsync(farm.Url("#/workers"));
        var drain = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Drain ") });
        await drain.ClickAsync();
        await Expect(page.Locator("tbody tr td").Last).ToContainTextAsync("Draining (drained)");
        await browser.ScreenshotAsync(page, "workers-draining");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Enable ") }).ClickAsync();
        await Expect(page.Locator("tbody tr td").Last).ToContainTextAsync("Active");
        await page.Context.CloseAsync();
    }
}
