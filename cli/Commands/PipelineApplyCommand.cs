using BuildFarm.Cli.Output;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm pipeline apply FILE [--name N] [--label L]...`: stores the file as the pipeline's next version.</summary>
public static class PipelineApplyCommand
{
    public static async Task<int> ExecuteAsync(CliContext context, string file, string? name, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            await context.Error.WriteLineAsync($"buildfarm: {file}: no such file");
            return 2;
        }

        var definition = await File.ReadAllTextAsync(file, cancellationToken);
        name ??= NameFrom(file);
        return await Remote.CallAsync(context, async client =>
        {
            var pipeline = await client.ApplyPipelineAsync(name, definition, Path.GetFileName(file), labels, cancellationToken);
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, pipeline);
            }
            else
            {
                var runsOn = pipeline.Labels.Count == 0 ? "" : $" (runs on workers with {string.Join(", ", pipeline.Labels)})";
                await context.Output.WriteLineAsync($"pipeline {pipeline.Name} version {pipeline.Version} stored{runsOn}");
            }

            return 0;
        });
    }

    // The same default as `buildfarm run FILE`: a buildspec is usually named for its directory, not itself.
    private static string NameFrom(string file)
    {
        var directory = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)));
        var name = new string((directory ?? "pipeline").Select(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray()).Trim('-', '.', '_');
        return name.Length == 0 ? "pipeline" : name;
    }
}
