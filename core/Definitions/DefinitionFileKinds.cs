using System.Text.RegularExpressions;

namespace BuildFarm.Core.Definitions;

/// <summary>
/// Tells an appspec, a pipeline file and a buildspec apart: by file name first (CodeDeploy insists on appspec.yml;
/// pipeline.yml, *.pipeline.yml), then by content (only a pipeline file has a top-level 'stages').
/// </summary>
public static partial class DefinitionFileKinds
{
    public static DefinitionFileKind Detect(string fileName, string text)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(text);
        var name = Path.GetFileName(fileName);
        if (name.StartsWith("appspec.", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".appspec.yml", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".appspec.yaml", StringComparison.OrdinalIgnoreCase))
        {
            return DefinitionFileKind.AppSpec;
        }
        if (name.Equals("pipeline.yml", StringComparison.OrdinalIgnoreCase) || name.Equals("pipeline.yaml", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".pipeline.yml", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".pipeline.yaml", StringComparison.OrdinalIgnoreCase))
        {
            return DefinitionFileKind.Pipeline;
        }
        if (name.StartsWith("buildspec", StringComparison.OrdinalIgnoreCase))
        {
            return DefinitionFileKind.BuildSpec;
        }
        if (PipelineMarker().IsMatch(text))
        {
            return DefinitionFileKind.Pipeline;
        }
        // A top-level key only an appspec has, or CodeDeploy's version; a buildspec has 'phases' and 0.1/0.2.
        return AppSpecMarker().IsMatch(text) ? DefinitionFileKind.AppSpec : DefinitionFileKind.BuildSpec;
    }

    [GeneratedRegex(@"^(?:(?:os|hooks|files|permissions|file_exists_behavior|Resources|Hooks)\s*:|version\s*:\s*[""']?0\.0[""']?\s*(?:#.*)?$)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex AppSpecMarker();

    [GeneratedRegex(@"^stages\s*:", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PipelineMarker();
}
