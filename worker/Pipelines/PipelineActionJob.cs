namespace BuildFarm.Worker.Pipelines;

/// <summary>One action of a pipeline file, as claimed: what it is and which artifacts it reads and writes (by name).</summary>
public sealed record PipelineActionJob(
    string Stage,
    string Name,
    string Category,
    IReadOnlyDictionary<string, string> Configuration,
    IReadOnlyDictionary<string, string> EnvironmentVariables,
    IReadOnlyList<string> InputArtifacts,
    IReadOnlyList<string> OutputArtifacts)
{
    public string Setting(string key, string fallback) => Configuration.TryGetValue(key, out var value) && value.Length > 0 ? value : fallback;
}
