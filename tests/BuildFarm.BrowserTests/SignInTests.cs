using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>
/// Sign-in against a coordinator with tokens on: nothing renders without a token, a viewer sees no
/// trigger button and a forged trigger gets 403, an operator triggers a run from the page.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardFixture browser, SecuredFarmFixture farm) : IClassFixture<SecuredFarmFixture>
{
    [Fact]
    public async Task A_viewer_signs_in_sees_no_trigger_button_and_a_forged_trigger_gets_403_while_an_operator_runs_the_pipeline()
    {
        using (var apply = await farm.Admin.PutAsJsonAsync("/api/pipelines/guarded", new
        {
            definition = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo \"guarded build ran\"\n",
            fileName = "buildspec.yml",
        }))
        {
            apply.EnsureSuccessStatusCode();
        }

        var viewer = await farm.CreateTokenAsync("dashboard-viewer", "viewer");
        var operatorToken = await farm.CreateTokenAsync("dashboard-operator", "operator");
        var page = await browser.NewPageAsync();

        await page.GotoAsync(farm.Url("#/pipelines"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Expect(page.Locator(".card")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "signin");

        await page.GetByLabel("API token").FillAsync("bf_not-a-real-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not accepted" })).ToBeVisibleAsync();

        await page.GetByLabel("API token").FillAsync(viewer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/pipelines$"));
        await Expect(page.Locator(".card", new() { HasText = "guarded" })).ToBeVisibleAsync();
        await Expect(page.Locator("#session")).ToContainTextAsync("dashboard-viewer (viewer)");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Run guarded" })).ToHaveCountAsync(0);
        Assert.Equal(viewer, await page.EvaluateAsync<string>("() => sessionStorage.getItem('buildfarm.token')"));

        // What the hidden button would have sent, forged by hand with the viewer's token: the coordinator refuses it.
        var forged = await page.EvaluateAsync<int>("""
            async token => (await fetch('/api/runs', {
              method: 'POST',
              headers: { 'Authorization': `Bearer ${token}`, 'Content-Type': 'application/json' },
              body: JSON.stringify({ pipeline: 'guarded' }),
            })).status
            """, viewer);
        Assert.Equal(403, forged);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('buildfarm.token')"));

        await page.GetByLabel("API token").FillAsync(operatorToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Run guarded" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/runs/[0-9a-f-]{36}$"));
        await Expect(page.Locator(".log-line", new() { HasText = "guarded build ran" })).ToBeVisibleAsync();
        await Expect(page.Locator(".run-status .badge")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" })).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_token_revoked_mid_session_sends_the_dashboard_back_to_sign_in()
    {
        var doomed = await farm.CreateTokenAsync("dashboard-doomed", "viewer");
        var page = await browser.NewPageAsync();
        await page.GotoAsync(farm.Url("#/signin"));
        await page.GetByLabel("API token").FillAsync(doomed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pipelines");

        var tokens = await farm.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/tokens");
        var id = tokens.EnumerateArray().First(t => t.GetProperty("name").GetString() == "dashboard-doomed").GetProperty("id").GetString();
        (await farm.Admin.DeleteAsync($"/api/tokens/{id}")).EnsureSuccessStatusCode();

        // The pipelines page polls: its next request is refused, and sign-in takes over.
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in", new() { Timeout = 15_000 });
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('buildfarm.token')"));
        await page.Context.CloseAsync();
    }
}
