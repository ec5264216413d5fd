namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>The parts of GET /api/runs/{id} the scenarios assert on.</summary>
internal sealed record RunView(Guid Id, string Status, string? Reason, IReadOnlyList<JobView> Jobs)
{
    public bool IsFinal => Status is "Succeeded" or "Failed" or "Cancelled";

    public JobView Job => Jobs.Count == 1 ? Jobs[0] : throw new InvalidOperationException($"Expected one job, the run has {Jobs.Count}.");

    public override string ToString() =>
        $"{Status} ({Reason}); jobs: {string.Join(", ", Jobs.Select(j => $"{j.Status} attempt {j.Attempt} on {j.WorkerId} ({j.Reason})"))}";
}
