namespace BuildFarm.Worker.Jobs;

/// <summary>An attempt this worker was granted, with everything needed to run it.</summary>
public sealed record ClaimedJob(
    Guid RunId,
    Guid JobId,
    Guid AttemptId,
    int Attempt,
    string Pipeline,
    int PipelineVersion,
    string Definition,
    string FileName,
    IReadOnlyDictionary<string, string> Variables);
