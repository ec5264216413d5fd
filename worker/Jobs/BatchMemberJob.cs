namespace BuildFarm.Worker.Jobs;

/// <summary>
/// A member build of a batch, as claimed: its identifier (CODEBUILD_BATCH_BUILD_IDENTIFIER), its variables (they
/// replace the buildspec's and the trigger's), and the env settings this farm records without applying.
/// </summary>
public sealed record BatchMemberJob(
    string Identifier,
    string Kind,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyDictionary<string, string> Environment,
    bool InlineBuildSpec)
{
    /// <summary>
    /// A member's artifact names carry its identifier, so the members of one run never overwrite each other's zips:
    /// the primary artifact is <c>{identifier}</c> (or <c>{identifier}-{name}</c> when the buildspec names it), a
    /// secondary one <c>{identifier}-{name}</c>.
    /// </summary>
    public string ArtifactName(string? name) => string.IsNullOrEmpty(name) ? Identifier : $"{Identifier}-{name}";
}
