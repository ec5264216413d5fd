using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>The main pages pass axe-core, and a keyboard alone reaches pipelines, runs, a run and its log.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AccessibilityTests(DashboardFixture farm)
{
    [Fact]
    public async Task The_main_pages_have_no_axe_violations()
    {
        await farm.ApplyPipelineAsync("axe", """
            version: 0.2
            phases:
              build:
                commands:
                  - printf '\033[32mok\033[0m \033[33mwarning\033[0m \033[31merror\033[0m \033[90mgrey\033[0m\n'
                  - exit 1
            """);
        var runId = await farm.TriggerAsync("axe");
        await farm.WaitForRunAsync(runId, TimeSpan.FromSeconds(60));
        var page = await farm.NewPageAsync();
        var pages = new (string Route, string Ready, string Screenshot)[]
        {
            ("#/pipelines", ".card", "pipelines"),
            ("#/runs", "table.runs tbody tr", "runs"),
            ($"#/runs/{runId}", ".failure", "run"),
            ("#/workers", "table tbody tr", "workers"),
            ("#/deployments", "table.deployments", "deployments"),
            ("#/signin", "form.signin", "signin-form"),
        };
        var found = new List<string>();
        foreach (var (route, ready, screenshot) in pages)
        {
            await page.GotoAsync(farm.Url(route));
            await Expect(page.Locator(ready).First).ToBeVisibleAsync();
            if (route.StartsWith("#/runs/", StringComparison.Ordinal))
            {
                await Expect(page.Locator("#log-status")).ToContainTextAsync("Complete");
            }

            if (route == "#/workers")
            {
                await Expect(page.Locator("table tbody tr", new() { HasText = "embedded" })).ToContainTextAsync("Alive");
            }

            await farm.ScreenshotAsync(page, screenshot);
            found.AddRange(await AxeCheck.ViolationsAsync(page, route));
        }

        Assert.True(found.Count == 0, string.Join("\n", found));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_keyboard_reaches_a_run_from_the_runs_list_and_searches_its_log()
    {
        await farm.ApplyPipelineAsync("keys", """
            version: 0.2
            phases:
              build:
                commands:
                  - echo "typed with a keyboard"
            """);
        var runId = await farm.TriggerAsync("keys");
        await farm.WaitForRunAsync(runId, TimeSpan.FromSeconds(60));
        var page = await farm.NewPageAsync();
        await page.GotoAsync(farm.Url("#/pipelines"));
        await Expect(page.Locator("h1")).ToBeFocusedAsync();

        // Backwards from the heading: the session link, then the main navigation.
        await TabUntilAsync(page, "a[data-nav='runs']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Runs");
        await Expect(page.Locator("h1")).ToBeFocusedAsync();

        await Expect(page.Locator($"a[href='#/runs/{runId}']")).ToBeVisibleAsync();
        await TabUntilAsync(page, $"a[href='#/runs/{runId}']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex($"#/runs/{runId}$"));
        await Expect(page.Locator("h1")).ToBeFocusedAsync();
        await Expect(page.Locator("#log-status")).ToContainTextAsync("Complete");

        await TabUntilAsync(page, ".log-scroller");
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("#log-search")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("keyboard");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".log-line.current")).ToContainTextAsync("typed with a keyboard");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#log-search")).ToHaveValueAsync("");
        await page.Context.CloseAsync();
    }

    private static async Task TabUntilAsync(IPage page, string selector, bool backwards = false)
    {
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await page.EvaluateAsync<bool>("s => document.activeElement?.matches(s) ?? false", selector))
            {
                return;
            }
        }

        Assert.Fail($"{selector} was not reached with {(backwards ? "Shift+Tab" : "Tab")} in 60 presses");
    }
}
