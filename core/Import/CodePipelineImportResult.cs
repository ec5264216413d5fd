namespace BuildFarm.Core.Import;

/// <summary>A pipeline file made from a CodePipeline declaration, and what could not be carried over.</summary>
/// <param name="Name">The pipeline's name (the declaration's unless one was given).</param>
/// <param name="Yaml">The pipeline file; unmapped actions stay in it as comments.</param>
/// <param name="Warnings">One line per thing not carried over, naming the stage and action.</param>
public sealed record CodePipelineImportResult(string Name, string Yaml, IReadOnlyList<string> Warnings);
