using BuildFarm.Core.Definitions.Parsing;
using BuildFarm.Core.Import;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm pipeline import FILE [--name N] [--out FILE | --apply]`: the JSON of `aws codepipeline get-pipeline` as
/// a pipeline file, printed, written or stored. What could not be mapped goes to stderr (and stays in the YAML as comments).
/// </summary>
public static class PipelineImportCommand
{
    public static async Task<int> ExecuteAsync(CliContext context, string file, string? name, string? outFile, bool apply, CancellationToken cancellationToken)
    {
        if (outFile is not null && apply)
        {
            await context.Error.WriteLineAsync("buildfarm: pipeline import takes --out FILE or --apply, not both");
            return 2;
        }
        if (!File.Exists(file))
        {
            await context.Error.WriteLineAsync($"buildfarm: {file}: no such file");
            return 2;
        }

        CodePipelineImportResult imported;
        try
        {
            imported = CodePipelineImporter.Import(await File.ReadAllTextAsync(file, cancellationToken), name);
        }
        catch (CodePipelineImportException e)
        {
            await context.Error.WriteLineAsync($"buildfarm: {file}: {e.Message}");
            return 1;
        }
        foreach (var warning in imported.Warnings)
        {
            await context.Error.WriteLineAsync($"buildfarm: warning: {warning}");
        }
        // The edges are checked here so a bad filter in the source is reported against the generated file.
        foreach (var diagnostic in PipelineEdgesParser.Parse(imported.Yaml, "pipeline.yml").Diagnostics)
        {
            await context.Error.WriteLineAsync(diagnostic.ToString());
        }

        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, imported.Yaml, cancellationToken);
            await context.Output.WriteLineAsync($"pipeline {imported.Name} written to {outFile} ({imported.Warnings.Count} warning(s))");
            return 0;
        }
        if (!apply)
        {
            await context.Output.WriteAsync(imported.Yaml);
            return 0;
        }
        return await Remote.CallAsync(context, async client =>
        {
            var pipeline = await client.ApplyPipelineAsync(imported.Name, imported.Yaml, "pipeline.yml", cancellationToken);
            await context.Output.WriteLineAsync($"pipeline {pipeline.Name} version {pipeline.Version} stored");
            return 0;
        });
    }
}
