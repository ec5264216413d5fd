using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>
/// Token auth as the coordinator answers it: 401 without a valid bearer token, 403 when the role
/// forbids the action. The embedded farm runs with auth off, so a route in the browser answers for
/// it here, passing every request that carries the token on to the real farm.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardFixture farm)
{
    private const string ViewerToken = "viewer-token-123";

    [Fact]
    public async Task Without_a_token_sign_in_is_shown_and_a_viewer_token_is_sent_and_loses_the_trigger_button_on_403()
    {
        await farm.ApplyPipelineAsync("guarded", """
            version: 0.2
            phases:
              build:
                commands:
                  - echo guarded
            """);
        var page = await farm.NewPageAsync();
        var sent = new List<string>();
        await page.Context.RouteAsync("**/api/**", async route =>
        {
            var auth = route.Request.Headers.GetValueOrDefault("authorization");
            sent.Add($"{route.Request.Method} {new Uri(route.Request.Url).AbsolutePath} {auth}");
            if (auth != $"Bearer {ViewerToken}")
            {
                await route.FulfillAsync(new() { Status = 401, ContentType = "application/problem+json", Body = """{"status":401,"title":"A valid API token is required."}""" });
            }
            else if (route.Request.Method == "POST")
            {
                await route.FulfillAsync(new() { Status = 403, ContentType = "application/problem+json", Body = """{"status":403,"title":"The viewer role may not do this."}""" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });

        await page.GotoAsync(farm.Url("#/pipelines"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await Expect(page.Locator(".card")).ToHaveCountAsync(0);

        await page.GetByLabel("API token").FillAsync("wrong-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not accepted" })).ToBeVisibleAsync();

        await page.GetByLabel("API token").FillAsync(ViewerToken);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("#/pipelines$"));
        var trigger = page.GetByRole(AriaRole.Button, new() { Name = "Run guarded" });
        await Expect(trigger).ToBeVisibleAsync();
        Assert.Equal(ViewerToken, await page.EvaluateAsync<string>("() => sessionStorage.getItem('buildfarm.token')"));

        await trigger.ClickAsync();
        await Expect(page.GetByText("Your token may not trigger runs.")).ToBeVisibleAsync();
        await Expect(trigger).ToBeHiddenAsync();
        // Every request after sign-in carried the token, the refused trigger included.
        Assert.Contains(sent, s => s.StartsWith("POST /api/runs Bearer " + ViewerToken, StringComparison.Ordinal));
        Assert.Contains(sent, s => s.StartsWith("GET /api/run-summaries Bearer " + ViewerToken, StringComparison.Ordinal));

        // Still hidden after a reload in the same tab; signing out forgets token and refusals.
        await page.ReloadAsync();
        await Expect(page.Locator(".card")).ToHaveCountAsync(1);
        await Expect(trigger).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('buildfarm.token')"));
        await page.Context.CloseAsync();
    }
}
