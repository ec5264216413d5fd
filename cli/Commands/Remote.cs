using BuildFarm.Client;

namespace BuildFarm.Cli.Commands;

/// <summary>Opens the SDK client for a server command and turns a refused call into exit code 2 with the server's reasons.</summary>
public static class Remote
{
    /// <summary>
    /// A server command's context: the server from <c>--server</c>, else <paramref name="environmentServer"/> (environment or
    /// config file), the token likewise, and <c>--json</c>. Null, with the reason, when the server is not an absolute URL.
    /// </summary>
    public static (CliContext? Context, string? Problem) Context(
        CommandLine line, string? environmentServer, string? environmentToken, TextWriter output, TextWriter error, TimeProvider time)
    {
        var serverText = line.Option("--server") ?? environmentServer;
        Uri? server = null;
        return !string.IsNullOrEmpty(serverText) && !Uri.TryCreate(serverText, UriKind.Absolute, out server)
            ? (null, $"--server {serverText}: not an absolute URL")
            : (new CliContext(server, output, error, line.Flag("--json"), time, line.Option("--token") ?? environmentToken), null);
    }

    public static async Task<int> CallAsync(CliContext context, Func<BuildFarmClient, Task<int>> action)
    {
        if (context.Server is null)
        {
            await context.Error.WriteLineAsync("buildfarm: no server: pass --server URL or set BUILDFARM_SERVER to the coordinator's gRPC URL");
            return 2;
        }

        try
        {
            using var client = new BuildFarmClient(context.Server, context.Token);
            return await action(client);
        }
        catch (BuildFarmException ex)
        {
            await context.Error.WriteLineAsync($"buildfarm: {ex.Status}: {ex.Message}");
            foreach (var violation in ex.Violations)
            {
                await context.Error.WriteLineAsync($"  {violation.Field}: {violation.Description}");
            }

            return 2;
        }
    }
}
