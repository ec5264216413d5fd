using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>
/// The deployments page reads GET /api/deployments: a deployment to a group whose agent does not exist
/// fails at once, and the list and the deployment's page show it with the coordinator's reason.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DeploymentsPageTests(DashboardFixture browser)
{
    [Fact]
    public async Task The_deployments_page_lists_a_deployment_and_its_page_shows_status_and_reason()
    {
        using (var app = await browser.Http.PutAsJsonAsync("/api/applications/shop", new { }))
        {
            app.EnsureSuccessStatusCode();
        }

        using (var group = await browser.Http.PutAsJsonAsync("/api/applications/shop/groups/web", new { instanceNames = new[] { "host-that-never-ran" } }))
        {
            group.EnsureSuccessStatusCode();
        }

        string id;
        using (var created = await browser.Http.PostAsJsonAsync("/api/deployments", new { application = "shop", group = "web", revision = "/tmp/shop-1.zip" }))
        {
            var text = await created.Content.ReadAsStringAsync();
            Assert.True(created.IsSuccessStatusCode, text);
            id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        }

        var stored = await browser.Http.GetFromJsonAsync<JsonElement>($"/api/deployments/{id}");
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.Url("#/deployments"));
        var row = page.Locator("table.deployments tbody tr", new() { HasText = id[..8] });
        await Expect(row).ToContainTextAsync("shop");
        await Expect(row.Locator(".badge")).ToHaveTextAsync(stored.GetProperty("status").GetString()!);
        await browser.ScreenshotAsync(page, "deployments");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync($"Deployment {id[..8]} of shop to web");
        await Expect(page.Locator("dl.facts")).ToContainTextAsync("/tmp/shop-1.zip");
        if (stored.GetProperty("reason").GetString() is { } reason)
        {
            await Expect(page.Locator("dl.facts")).ToContainTextAsync(reason);
        }

        await page.Context.CloseAsync();
    }
}
