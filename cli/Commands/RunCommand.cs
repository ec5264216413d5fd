using BuildFarm.Cli.Embedded;
using BuildFarm.Cli.Output;
using BuildFarm.Client;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm run FILE [--server URL] [--pipeline NAME]`: stores the buildspec as a pipeline, triggers
/// it, prints the live log and exits with the run's result. Without --server, on an embedded farm,
/// whose dashboard URL is printed; with --keep that farm stays up after the run until Ctrl-C.
/// </summary>
public static class RunCommand
{
    public static async Task<int> ExecuteAsync(string file, Uri? server, string? pipeline, string dataDirectory, CancellationToken cancellationToken, bool keep = false)
    {
        if (!File.Exists(file))
        {
            await Console.Error.WriteLineAsync($"buildfarm: {file}: no such file");
            return 2;
        }

        var definition = await File.ReadAllTextAsync(file, cancellationToken);
        pipeline ??= PipelineNameFrom(file);
        EmbeddedFarm? farm = null;
        try
        {
            if (server is null)
            {
                farm = await EmbeddedFarm.StartAsync(dataDirectory, cancellationToken);
                server = farm.GrpcUrl;
                await Console.Error.WriteLineAsync($"buildfarm: dashboard at {farm.HttpUrl}");
            }

            using var client = new BuildFarmClient(server);
            await client.ApplyPipelineAsync(pipeline, definition, Path.GetFileName(file), cancellationToken);
            var run = await client.TriggerRunAsync(pipeline, cancellationToken: cancellationToken);
            await Console.Error.WriteLineAsync($"buildfarm: run {run.Id} of {pipeline} queued on {server}");
            using var cancelOnCtrlC = new CancelOnInterrupt(client, run.Id);
            var status = new LiveStatusLine(Console.Out, client, run.Id, TimeProvider.System);
            await LogPrinter.FollowAsync(client, run.Id, status, cancellationToken);
            var final = await status.WhileAsync($"run {run.Id}: finishing", client.WaitForRunAsync(run.Id, TimeSpan.FromMilliseconds(50), cancellationToken));
            var result = await RunSummary.PrintAsync(final, Console.Out);
            if (keep && farm is not null)
            {
                await Console.Error.WriteLineAsync($"buildfarm: the embedded farm stays up: dashboard at {farm.HttpUrl}#/runs/{run.Id} (Ctrl-C to stop)");
                await StopSignal.WaitAsync(cancellationToken);
            }

            return result;
        }
        catch (BuildFarmException ex)
        {
            await Console.Error.WriteLineAsync($"buildfarm: {ex.Message}");
            foreach (var violation in ex.Violations)
            {
                await Console.Error.WriteLineAsync($"  {violation.Description}");
            }

            return 2;
        }
        finally
        {
            if (farm is not null)
            {
                await farm.DisposeAsync();
            }
        }
    }

    private static string PipelineNameFrom(string file)
    {
        var directory = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)));
        var name = new string((directory ?? "pipeline").Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray()).Trim('-', '.', '_');
        return name.Length == 0 ? "pipeline" : name;
    }
}
