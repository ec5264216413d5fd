using System.Text.RegularExpressions;

namespace BuildFarm.Core.Definitions;

/// <summary>Tells an appspec from a buildspec: by file name first (CodeDeploy insists on appspec.yml), then by content.</summary>
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
        if (name.StartsWith("buildspec", StringComparison.OrdinalIgnoreCase))
        {
            return DefinitionFileKind.BuildSpec;
        }
        // A top-level key only an appspec has, or CodeDeploy's version; a buildspec has 'phases' and 0.1/0.2.
        return AppSpecMarker().IsMatch(text) ? DefinitionFileKind.AppSpec : DefinitionFileKind.BuildSpec;
    }

    [GeneratedRegex(@"^(?:(?:os|hooks|files|permissions|file_exists_behavior|Resources|Hooks)\s*:|version\s*:\s*[""']?0\.0[""']?\s*(?:#.*)?$)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex AppSpecMarker();
}
