using System.Text.Json;
using BuildFarm.Core.Definitions;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm validate FILE… [--json]`: offline, every warning and error as file:line:col. Each file is read as
/// an appspec, a pipeline file or a buildspec by its name or content (<see cref="DefinitionFileKinds"/>).
/// </summary>
public static class ValidateCommand
{
    public static async Task<int> ExecuteAsync(IReadOnlyList<string> files, bool json, CancellationToken cancellationToken)
    {
        var all = new List<DefinitionDiagnostic>();
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                all.Add(new DefinitionDiagnostic(file, 0, 0, "", DefinitionSeverity.Error, "no such file"));
                continue;
            }

            var text = await File.ReadAllTextAsync(file, cancellationToken);
            all.AddRange(DefinitionFileKinds.Detect(file, text) switch
            {
                DefinitionFileKind.AppSpec => AppSpecParser.Parse(text, file).Diagnostics,
                DefinitionFileKind.Pipeline => PipelineFileParser.Parse(text, file).Diagnostics,
                _ => BuildSpecParser.Parse(text, file).Diagnostics,
            });
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(all.Select(d => new
            {
                file = d.File,
                line = d.Line,
                column = d.Column,
                field = d.Field,
                severity = d.Severity == DefinitionSeverity.Error ? "error" : "warning",
                message = d.Message,
            })));
        }
        else
        {
            foreach (var diagnostic in all)
            {
                Console.WriteLine(diagnostic);
            }
        }

        return all.Any(d => d.Severity == DefinitionSeverity.Error) ? 1 : 0;
    }
}
