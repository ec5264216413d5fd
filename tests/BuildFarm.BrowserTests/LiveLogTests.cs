using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>A run seen in the browser: triggered from the page, its log arriving live, failures and colours.</summary>
[Collection(DashboardCollection.Name)]
public sealed class LiveLogTests(DashboardFixture farm)
{
    [Fact]
    public async Task A_run_triggered_from_the_pipelines_page_streams_its_log_while_running_and_turns_Succeeded()
    {
        await farm.ApplyPipelineAsync("live", """
            version: 0.2
            phases:
              build:
                commands:
                  - echo "first line from the step"
                  - sleep 5
                  - echo "last line from the step"
            """);
        var page = await farm.NewPageAsync();
        await page.GotoAsync(farm.Url("#/pipelines"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Run live" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/runs/[0-9a-f-]{36}$"));
        var runId = page.Url[(page.Url.LastIndexOf('/') + 1)..];

        await Expect(page.Locator(".log-line", new() { HasText = "first line from the step" })).ToBeVisibleAsync();
        // The step is still sleeping, so the line came through the live tail, not a finished log.
        var atFirstLine = await farm.Http.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}");
        Assert.Equal("Running", atFirstLine.GetProperty("status").GetString());
        await Expect(page.Locator(".log-line", new() { HasText = "last line from the step" })).ToHaveCountAsync(0);
        await Expect(page.Locator(".run-status .badge")).ToHaveTextAsync("Running");
        await farm.ScreenshotAsync(page, "run-live");

        await Expect(page.Locator(".run-status .badge")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Expect(page.Locator(".log-line", new() { HasText = "last line from the step" })).ToBeVisibleAsync();
        await Expect(page.Locator("#log-status")).ToContainTextAsync("Complete");
        await Expect(page.Locator("table.phases tbody tr")).ToContainTextAsync(["build"]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_failed_run_shows_its_failing_phase_and_exit_code_and_jumps_to_the_first_error()
    {
        await farm.ApplyPipelineAsync("failing", """
            version: 0.2
            phases:
              install:
                commands:
                  - echo "installing"
              build:
                commands:
                  - for i in $(seq 1 300); do echo "compiling unit $i"; done
                  - echo "error - widget.c line 12 - the widget is broken"
                  - for i in $(seq 1 300); do echo "cleaning up $i"; done
                  - exit 3
            """);
        var runId = await farm.TriggerAsync("failing");
        Assert.Equal("Failed", await farm.WaitForRunAsync(runId, TimeSpan.FromSeconds(60)));
        var page = await farm.NewPageAsync();
        await page.GotoAsync(farm.Url($"#/runs/{runId}"));

        var failure = page.Locator(".failure");
        await Expect(failure).ToContainTextAsync("Failed in phase BUILD with exit code 3");
        var buildRow = page.Locator("table.phases tbody tr", new() { HasText = "build" });
        await Expect(buildRow).ToContainTextAsync("Failed");
        await Expect(buildRow.Locator("td").Last).ToHaveTextAsync("3");
        await Expect(page.Locator("#log-status")).ToContainTextAsync("Complete");

        await failure.GetByRole(AriaRole.Button, new() { Name = "Jump to first error" }).ClickAsync();
        var target = page.Locator(".log-line.target");
        await Expect(target).ToContainTextAsync("the widget is broken");
        await Expect(target).ToBeInViewportAsync();
        var line = await target.GetAttributeAsync("data-line");
        await farm.ScreenshotAsync(page, "run-failed");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download log" }).ClickAsync());
        Assert.Equal($"run-{runId}.log", download.SuggestedFilename);
        var downloaded = await File.ReadAllBytesAsync(await download.PathAsync());
        Assert.Equal(await farm.Http.GetByteArrayAsync($"/api/runs/{runId}/log"), downloaded);

        // The line number is a link: opening it elsewhere lands on the same line.
        var other = await farm.NewPageAsync();
        await other.GotoAsync(farm.Url($"#/runs/{runId}/L{line}"));
        await Expect(other.Locator(".log-line.target")).ToContainTextAsync("the widget is broken");
        await Expect(other.Locator(".log-line.target")).ToBeInViewportAsync();
        await other.Context.CloseAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_cancel_button_stops_a_running_run()
    {
        await farm.ApplyPipelineAsync("cancellable", """
            version: 0.2
            phases:
              build:
                commands:
                  - echo "started, now waiting"
                  - sleep 120
            """);
        var runId = await farm.TriggerAsync("cancellable");
        var page = await farm.NewPageAsync();
        await page.GotoAsync(farm.Url($"#/runs/{runId}"));
        await Expect(page.Locator(".log-line", new() { HasText = "started, now waiting" })).ToBeVisibleAsync();

        var cancel = page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" });
        await cancel.ClickAsync();
        await Expect(page.Locator(".run-status .badge")).ToHaveTextAsync("Cancelled", new() { Timeout = 30_000 });
        await Expect(cancel).ToBeHiddenAsync();
        await Expect(page.Locator("#log-status")).ToContainTextAsync("Complete");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Ansi_colours_render_and_carriage_return_progress_shows_only_its_last_state()
    {
        await farm.ApplyPipelineAsync("colours", """
            version: 0.2
            phases:
              build:
                commands:
                  - printf '\033[31mred text\033[0m plain \033[1;92mbold bright green\033[0m\n'
                  - printf 'progress 10%%\rprogress 50%%\rprogress 100%%\n'
                  - printf '\033[34mblue starts\nand carries over\033[0m\n'
            """);
        var runId = await farm.TriggerAsync("colours");
        Assert.Equal("Succeeded", await farm.WaitForRunAsync(runId, TimeSpan.FromSeconds(60)));
        var page = await farm.NewPageAsync();
        await page.GotoAsync(farm.Url($"#/runs/{runId}"));
        await Expect(page.Locator("#log-status")).ToContainTextAsync("Complete");

        var red = page.Locator(".log-line .lt > span.fg1", new() { HasText = "red text" });
        await Expect(red).ToHaveCSSAsync("color", "rgb(255, 123, 114)");
        var green = page.Locator(".log-line .lt > span", new() { HasText = "bold bright green" });
        await Expect(green).ToHaveClassAsync(new Regex(@"\bfg10\b.*\bb\b"));
        await Expect(green).ToHaveCSSAsync("font-weight", "700");
        await Expect(page.Locator(".log-line .lt > span.fg4", new() { HasText = "and carries over" })).ToHaveCountAsync(1);
        await Expect(page.Locator(".log-line .lt", new() { HasTextRegex = new Regex("^progress 100%$") })).ToHaveCountAsync(1);
        await Expect(page.Locator(".log-line .lt", new() { HasTextRegex = new Regex("progress (10|50)%") })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
