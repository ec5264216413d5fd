using System.Net.Http.Json;
using System.Text.Json;
using BuildFarm.IntegrationTests.Pipelines;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>
/// A pipeline file with four stages on a farm with tokens on: the pipelines page draws them left to right
/// with each one's status, the run page shows stages → jobs → phases and the build's test report counts,
/// a viewer sees the waiting approval without buttons, and an operator approves it with a comment.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class PipelineStagesTests(DashboardFixture browser, SecuredFarmFixture farm) : IClassFixture<SecuredFarmFixture>
{
    private const string BuildSpec = """
        version: 0.2
        phases:
          build:
            commands:
              - echo "compiling the staged app"
              - mkdir -p results
              - |
                cat > results/TEST-Calc.xml <<'XML'
                <testsuite name="Calc" tests="5" failures="1" errors="0" skipped="1" time="0.5">
                  <testcase name="adds" classname="Calc" time="0.1"/>
                  <testcase name="subtracts" classname="Calc" time="0.1"/>
                  <testcase name="multiplies" classname="Calc" time="0.1"/>
                  <testcase name="divides" classname="Calc" time="0.2"><failure message="expected 2">trace</failure></testcase>
                  <testcase name="later" classname="Calc"><skipped/></testcase>
                </testsuite>
                XML
        reports:
          unit-tests:
            files: ['TEST-*.xml']
            base-directory: results
        """;

    [Fact]
    public async Task Stages_are_drawn_left_to_right_the_run_shows_test_counts_and_an_operator_approves_from_the_run_page()
    {
        using var repository = GitRepository.Create();
        repository.Commit("staged app", ("buildspec.yml", BuildSpec), ("check.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - test -f buildspec.yml\n"));
        await ApplyAsync("staged", repository, """
                  - name: Build
                    actions:
                      - name: Compile
                        category: build
                        inputArtifacts: [Src]
                  - name: Gate
                    actions:
                      - name: Release
                        category: approval
                        configuration: { summary: "Ship the staged app?" }
                  - name: Verify
                    actions:
                      - name: Check
                        category: test
                        inputArtifacts: [Src]
                        configuration: { buildspec: check.yml }
                """);

        // The shape the page draws comes from the coordinator's parse of the file.
        var shape = await farm.Admin.GetFromJsonAsync<JsonElement>("/api/pipelines/staged/stages");
        Assert.Equal("pipeline", shape.GetProperty("kind").GetString());
        Assert.Equal(["Source", "Build", "Gate", "Verify"], shape.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));

        string runId;
        using (var trigger = await farm.Admin.PostAsJsonAsync("/api/runs", new { pipeline = "staged" }))
        {
            trigger.EnsureSuccessStatusCode();
            runId = (await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        // A viewer sees the approval waiting, and what it asks, but no way to decide it.
        var viewer = await browser.SignInAsync(farm, await farm.CreateTokenAsync("stages-viewer", "viewer"));
        await viewer.GotoAsync(farm.Url($"#/runs/{runId}"));
        var waiting = viewer.GetByRole(AriaRole.Form, new() { Name = "Approval Gate/Release" });
        await Expect(waiting).ToContainTextAsync("Ship the staged app?", new() { Timeout = 60_000 });
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        await Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Reject" })).ToHaveCountAsync(0);
        await viewer.Context.CloseAsync();

        var page = await browser.SignInAsync(farm, await farm.CreateTokenAsync("stages-operator", "operator"));
        var card = page.Locator(".card", new() { HasText = "staged" });
        await Expect(card.Locator("li.stage h3")).ToHaveTextAsync(["Source", "Build", "Gate", "Verify"]);
        await Expect(StageBadge(card, "Source")).ToHaveTextAsync("Succeeded");
        await Expect(StageBadge(card, "Build")).ToHaveTextAsync("Succeeded");
        await Expect(StageBadge(card, "Gate")).ToHaveTextAsync("Awaiting approval");
        await Expect(StageBadge(card, "Verify")).ToHaveTextAsync("Not reached");
        await Expect(card.Locator("li.stage[data-stage='Build'] li.action")).ToContainTextAsync(["Compile build"]);
        // Left to right: each stage box starts where the one before it ends.
        var boxes = new List<LocatorBoundingBoxResult>();
        foreach (var stage in new[] { "Source", "Build", "Gate", "Verify" })
        {
            boxes.Add((await card.Locator($"li.stage[data-stage='{stage}'] .stage-box").BoundingBoxAsync())!);
        }

        Assert.All(boxes.Zip(boxes.Skip(1)), pair => Assert.True(pair.Second.X >= pair.First.X + pair.First.Width, "stages are not drawn left to right"));
        await browser.ScreenshotAsync(page, "pipelines-stages");
        await AxeCheck.AssertNoneAsync(page, "#/pipelines with stages");

        await page.GotoAsync(farm.Url($"#/runs/{runId}"));
        await Expect(page.Locator("li.run-stage h3")).ToContainTextAsync(["Stage 1: Source", "Stage 2: Build", "Stage 3: Gate", "Stage 4: Verify"]);
        var build = page.Locator("li.run-stage[data-stage='Build']");
        await Expect(build.Locator("table.phases tbody tr:has(th:text-is('build'))")).ToContainTextAsync("Succeeded");
        await Expect(page.Locator(".report-summary")).ToHaveTextAsync("5 tests: 3 passed, 1 failed, 1 skipped, 0 errored");
        var counts = page.Locator("table.reports tbody tr", new() { HasText = "unit-tests" });
        await Expect(counts.Locator("[data-count='total']")).ToHaveTextAsync("5");
        await Expect(counts.Locator("[data-count='failed']")).ToHaveTextAsync("1");
        await Expect(page.Locator("li.run-stage[data-stage='Verify']")).ToContainTextAsync("Not reached");

        var approval = page.GetByRole(AriaRole.Form, new() { Name = "Approval Gate/Release" });
        await approval.GetByLabel("Comment").FillAsync("ship it from the browser");
        await browser.ScreenshotAsync(page, "run-approval");
        await AxeCheck.AssertNoneAsync(page, "#/runs/{id} waiting for approval");
        await approval.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(page.Locator(".run-status .badge")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Expect(approval).ToHaveCountAsync(0);
        await Expect(page.Locator("li.run-stage[data-stage='Gate'] p.reason")).ToHaveTextAsync("approved by stages-operator: ship it from the browser");
        await Expect(page.Locator("li.run-stage h3 .badge")).ToHaveTextAsync(["Succeeded", "Succeeded", "Succeeded", "Succeeded"]);
        await browser.ScreenshotAsync(page, "run-stages");

        // Back on the pipelines page, the last execution of every stage is green.
        await page.GotoAsync(farm.Url("#/pipelines"));
        await Expect(StageBadge(card, "Gate")).ToHaveTextAsync("Succeeded");
        await Expect(StageBadge(card, "Verify")).ToHaveTextAsync("Succeeded");
        await Expect(card.Locator($"li.stage[data-stage='Verify'] .history a[href='#/runs/{runId}']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("status-succeeded"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_failed_stage_is_retried_from_the_run_page_and_the_run_goes_on()
    {
        using var repository = GitRepository.Create();
        // Fails on its first attempt only: CODEBUILD_BUILD_NUMBER is the action's attempt.
        repository.Commit("flaky", ("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"attempt $CODEBUILD_BUILD_NUMBER\"\n      - test \"$CODEBUILD_BUILD_NUMBER\" -ge 2\n"));
        await ApplyAsync("flaky-stage", repository, """
                  - name: Build
                    actions:
                      - name: Flaky
                        category: build
                        inputArtifacts: [Src]
                """);

        var page = await browser.SignInAsync(farm, await farm.CreateTokenAsync("stage-retrier", "operator"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Run flaky-stage" }).ClickAsync();
        await Expect(page.Locator(".run-status .badge")).ToHaveTextAsync("Failed", new() { Timeout = 60_000 });
        var build = page.Locator("li.run-stage[data-stage='Build']");
        await Expect(build.Locator(".stage-head .badge")).ToHaveTextAsync("Failed");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry stage Source" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Retry stage Build" }).ClickAsync();
        await Expect(page.Locator(".run-status .badge")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Expect(build.Locator(".stage-head .badge")).ToHaveTextAsync("Succeeded");
        await Expect(build.Locator("section.job h4")).ToContainTextAsync("attempt 2");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retry stage Build" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    /// <summary>A pipeline file whose first stage checks <paramref name="repository"/> out as Src, then <paramref name="laterStages"/>.</summary>
    private async Task ApplyAsync(string name, GitRepository repository, string laterStages)
    {
        var definition = $$"""
            version: 1
            stages:
              - name: Source
                actions:
                  - name: Checkout
                    category: source
                    configuration: { repository: "{{repository.Url}}" }
                    outputArtifacts: [Src]

            """ + laterStages;
        using var apply = await farm.Admin.PutAsJsonAsync($"/api/pipelines/{name}", new { definition, fileName = "pipeline.yml" });
        Assert.True(apply.IsSuccessStatusCode, await apply.Content.ReadAsStringAsync());
    }

    private static ILocator StageBadge(ILocator card, string stage) => card.Locator($"li.stage[data-stage='{stage}'] .stage-box > .badge");
}
