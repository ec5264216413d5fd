namespace BuildFarm.Contracts.Commands;

/// <summary>
/// Asks the coordinator to start a run of a pipeline's latest version (queue-driven automation).
/// The coordinator answers by publishing <see cref="Events.RunQueued"/> with the same <paramref name="CorrelationId"/>.
/// </summary>
/// <param name="Pipeline">Name of a stored pipeline.</param>
/// <param name="IdempotencyKey">A repeated key returns the run it first created instead of starting another.</param>
/// <param name="Variables">Environment variables that override the definition's for this run.</param>
/// <param name="CorrelationId">Chosen by the sender; echoed on the events the trigger causes.</param>
/// <param name="SourceVersion">
/// The source revision to build: a commit SHA, <c>refs/heads/BRANCH</c>, <c>refs/tags/TAG</c> or <c>pr/N</c>
/// (CodeBuild's sourceVersion). The run gets it as <c>CODEBUILD_SOURCE_VERSION</c>, and a full commit SHA also as
/// <c>CODEBUILD_RESOLVED_SOURCE_VERSION</c>, the commit a pipeline's source action checks out. Null: none.
/// </param>
public sealed record TriggerRun(
    string Pipeline,
    string? IdempotencyKey,
    IReadOnlyDictionary<string, string>? Variables,
    Guid CorrelationId,
    string? SourceVersion = null);
