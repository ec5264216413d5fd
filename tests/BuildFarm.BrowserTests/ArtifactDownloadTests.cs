using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace BuildFarm.BrowserTests;

/// <summary>
/// A run's artifacts on its page, with tokens on: the download button fetches the zip with the
/// viewer's token (a plain link could not send it) and the browser saves exactly the stored bytes.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ArtifactDownloadTests(DashboardFixture browser, SecuredFarmFixture farm) : IClassFixture<SecuredFarmFixture>
{
    [Fact]
    public async Task A_viewer_sees_the_runs_artifacts_and_downloads_one_byte_for_byte()
    {
        using (var apply = await farm.Admin.PutAsJsonAsync("/api/pipelines/with-artifacts", new
        {
            definition = "version: 0.2\nphases:\n  build:\n    commands:\n      - head -c 5000 /dev/urandom > app.bin\nartifacts:\n  files:\n    - app.bin\n",
            fileName = "buildspec.yml",
        }))
        {
            apply.EnsureSuccessStatusCode();
        }

        string runId;
        using (var trigger = await farm.Admin.PostAsJsonAsync("/api/runs", new { pipeline = "with-artifacts" }))
        {
            trigger.EnsureSuccessStatusCode();
            runId = (await trigger.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        var viewer = await farm.CreateTokenAsync("artifact-viewer", "viewer");
        var page = await browser.NewPageAsync();
        await page.GotoAsync(farm.Url("#/signin"));
        await page.GetByLabel("API token").FillAsync(viewer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Pipelines");
        await page.GotoAsync(farm.Url($"#/runs/{runId}"));
        await Expect(page.Locator(".run-status .badge")).ToHaveTextAsync("Succeeded", new() { Timeout = 30_000 });

        var button = page.GetByRole(AriaRole.Button, new() { Name = "Download primary.zip" });
        await Expect(button).ToBeVisibleAsync();
        var listed = (await farm.Admin.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}/artifacts")).EnumerateArray().Single();
        await Expect(page.Locator("table.artifacts code")).ToHaveAttributeAsync("title", listed.GetProperty("sha256").GetString()!);
        await browser.ScreenshotAsync(page, "run-artifacts");

        var download = await page.RunAndWaitForDownloadAsync(() => button.ClickAsync());
        Assert.Equal("primary.zip", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), $"bf-browser-{Guid.NewGuid():N}.zip");
        try
        {
            await download.SaveAsAsync(saved);
            var bytes = await File.ReadAllBytesAsync(saved);
            Assert.Equal(listed.GetProperty("sizeBytes").GetInt64(), bytes.Length);
            Assert.Equal(listed.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        finally
        {
            File.Delete(saved);
        }

        await page.Context.CloseAsync();
    }
}
