using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>A log of about 5 MB: it loads, scrolls and searches without the page hanging.</summary>
[Collection(DashboardCollection.Name)]
public sealed class BigLogTests(DashboardFixture farm, ITestOutputHelper output)
{
    private const int Lines = 62_000;

    [Fact]
    public async Task A_five_megabyte_log_stays_responsive_to_scrolling_and_search()
    {
        await farm.ApplyPipelineAsync("big", $$"""
            version: 0.2
            phases:
              build:
                commands:
                  - seq 1 {{Lines}} | awk '{ printf "line %06d - the quick brown fox jumps over the lazy dog, again and again %06d\n", $1, $1 }'
                  - echo "needle at the very end"
            """);
        var runId = await farm.TriggerAsync("big");
        Assert.Equal("Succeeded", await farm.WaitForRunAsync(runId, TimeSpan.FromSeconds(60)));
        var page = await farm.NewPageAsync();
        var clock = Stopwatch.StartNew();
        await page.GotoAsync(farm.Url($"#/runs/{runId}"));
        await Expect(page.Locator("#log-status")).ToContainTextAsync("Complete", new() { Timeout = 60_000 });
        output.WriteLine($"whole log loaded and rendered in {clock.ElapsedMilliseconds} ms");
        var lineCount = await page.EvaluateAsync<int>("() => Number(document.getElementById('log-status').textContent.replace(/[^0-9]/g, ''))");
        Assert.True(lineCount > Lines, $"the log has {lineCount} lines");

        // Virtualised: only the rows around the viewport exist, however long the log is.
        Assert.InRange(await page.Locator(".log-line").CountAsync(), 1, 300);
        // Following: the view kept to the tail while the log arrived.
        var follow = page.GetByRole(AriaRole.Button, new() { Name = "Follow", Exact = true });
        await Expect(follow).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator(".log-line", new() { HasText = "needle at the very end" })).ToBeVisibleAsync();

        clock.Restart();
        await page.EvaluateAsync("() => { const s = document.querySelector('.log-scroller'); s.scrollTop = s.scrollHeight / 2; }");
        await Expect(page.Locator($".log-line[data-line='{Lines / 2}']")).ToBeVisibleAsync();
        output.WriteLine($"jump to the middle rendered in {clock.ElapsedMilliseconds} ms");
        // Scrolling away from the tail stops following; the button brings the tail back.
        await Expect(follow).ToHaveAttributeAsync("aria-pressed", "false");
        await follow.ClickAsync();
        await Expect(follow).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator(".log-line", new() { HasText = "needle at the very end" })).ToBeVisibleAsync();
        await page.EvaluateAsync("() => { const s = document.querySelector('.log-scroller'); s.scrollTop = s.scrollHeight / 2; }");
        await Expect(page.Locator($".log-line[data-line='{Lines / 2}']")).ToBeVisibleAsync();

        clock.Restart();
        for (var i = 0; i < 20; i++)
        {
            await page.Locator(".log-scroller").FocusAsync();
            await page.Keyboard.PressAsync("PageDown");
        }

        await Expect(page.Locator(".log-line").First).ToBeVisibleAsync();
        output.WriteLine($"20 page-downs in {clock.ElapsedMilliseconds} ms");

        clock.Restart();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("needle at the very end");
        await Expect(page.Locator(".log-line.current")).ToContainTextAsync("needle at the very end");
        await Expect(page.Locator("#log-search-count")).ToHaveTextAsync("1 of 1");
        output.WriteLine($"search over {lineCount} lines found the last one in {clock.ElapsedMilliseconds} ms");

        clock.Restart();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("lazy dog, again and again 031");
        await Expect(page.Locator("#log-search-count")).ToHaveTextAsync("1 of 1000");
        output.WriteLine($"search with 1000 matches in {clock.ElapsedMilliseconds} ms");
        await Expect(page.Locator(".log-line.current")).ToBeInViewportAsync();
        await farm.ScreenshotAsync(page, "run-big-log-search");
        await page.Context.CloseAsync();
    }
}
