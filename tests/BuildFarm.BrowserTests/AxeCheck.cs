using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace BuildFarm.BrowserTests;

/// <summary>axe-core on the page as it is now: each violation as one readable line (rule, impact, help, the offending markup).</summary>
public static class AxeCheck
{
    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        return result.Violations
            .Select(v => $"{where}: {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")
            .ToList();
    }

    public static async Task AssertNoneAsync(IPage page, string where)
    {
        var found = await ViolationsAsync(page, where);
        Assert.True(found.Count == 0, string.Join("\n", found));
    }
}
