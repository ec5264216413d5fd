namespace BuildFarm.Core.Import;

/// <summary>One CodePipeline action as ours: category, configuration entries in order, and notes kept as comments.</summary>
internal sealed record ImportedAction(
    string Category,
    IReadOnlyList<KeyValuePair<string, string>> Configuration,
    IReadOnlyDictionary<string, string> EnvironmentVariables,
    IReadOnlyList<string> Comments);
