namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm demo [--keep]`: the sample buildspec end to end on the embedded farm; --keep leaves the farm and its dashboard up afterwards.</summary>
public static class DemoCommand
{
    public static async Task<int> ExecuteAsync(string dataDirectory, CancellationToken cancellationToken, bool keep = false)
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "examples", "demo", "buildspec.yml");
        await Console.Error.WriteLineAsync($"buildfarm demo: embedded farm (SQLite, in-memory bus, local files) in {dataDirectory}");
        return await RunCommand.ExecuteAsync(sample, server: null, pipeline: "demo", dataDirectory, cancellationToken, keep);
    }
}
