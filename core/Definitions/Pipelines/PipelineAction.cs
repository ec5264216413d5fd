namespace BuildFarm.Core.Definitions.Pipelines;

/// <summary>
/// One action of a stage. Actions of a stage with the same <see cref="RunOrder"/> run side by side; a lower
/// run order runs first. <see cref="Configuration"/> holds the category's scalar settings as written
/// (the keys the parser checked); <see cref="EnvironmentVariables"/> is a build or test action's extra env.
/// </summary>
public sealed record PipelineAction(
    string Name,
    PipelineActionCategory Category,
    int RunOrder,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyDictionary<string, string> EnvironmentVariables,
    IReadOnlyList<string> InputArtifacts,
    IReadOnlyList<string> OutputArtifacts)
{
    /// <summary>A configuration value, or <paramref name="fallback"/> when the file leaves it out.</summary>
    public string Setting(string key, string fallback) => Configuration.TryGetValue(key, out var value) ? value : fallback;
}
