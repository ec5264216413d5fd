namespace BuildFarm.IntegrationTests.Runs;

/// <summary>Bounded waits: a test that waits forever hides the failure it should report.</summary>
internal static class Wait
{
    public static CancellationToken Up(TimeSpan limit) => new CancellationTokenSource(limit).Token;

    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Waited {limit.TotalSeconds} s for {what}.");
    }
}
