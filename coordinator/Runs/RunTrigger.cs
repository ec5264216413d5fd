namespace BuildFarm.Coordinator.Runs;

/// <summary>What every entry point (HTTP, gRPC, bus, webhook) passes to <see cref="RunService.TriggerAsync"/>.</summary>
public sealed record RunTrigger(
    string Pipeline,
    string? IdempotencyKey,
    IReadOnlyDictionary<string, string>? Variables,
    Guid CorrelationId,
    string TriggeredBy)
{
    /// <summary>The run variable a source action checks out instead of its branch head (CodeBuild's name; a webhook sets it too).</summary>
    public const string SourceRevisionVariable = "CODEBUILD_RESOLVED_SOURCE_VERSION";

    /// <summary>A manual start's source-revision override, as the variable source actions read; the variables as given without one.</summary>
    public static IReadOnlyDictionary<string, string>? WithSourceRevision(IReadOnlyDictionary<string, string>? variables, string? revision)
    {
        if (string.IsNullOrWhiteSpace(revision))
        {
            return variables;
        }
        if (revision.Length > 200 || revision.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || revision.StartsWith('-'))
        {
            throw new Errors.RequestInvalidException("source_revision", "The source revision must be a commit id or a ref name (no spaces, not starting with '-', at most 200 characters).");
        }
        return new Dictionary<string, string>(variables ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [SourceRevisionVariable] = revision };
    }
}
