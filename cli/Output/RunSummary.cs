using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Output;

/// <summary>The closing lines of a run: each phase, then the result; the exit code reflects the result.</summary>
public static class RunSummary
{
    public static int Print(Run run, TextWriter output)
    {
        output.WriteLine();
        foreach (var job in run.Jobs)
        {
            foreach (var phase in job.Phases)
            {
                var took = phase.FinishedAt.ToDateTimeOffset() - phase.StartedAt.ToDateTimeOffset();
                output.WriteLine($"  {phase.Name,-12} {phase.Status,-10} exit {phase.ExitCode,-4} {took.TotalSeconds:0.000}s");
            }
        }

        var total = run.FinishedAt is null ? TimeSpan.Zero : run.FinishedAt.ToDateTimeOffset() - run.CreatedAt.ToDateTimeOffset();
        output.WriteLine($"Run {run.Id} of {run.Pipeline}@{run.PipelineVersion}: {run.Status.ToString().ToUpperInvariant()} in {total.TotalSeconds:0.00}s"
            + (string.IsNullOrEmpty(run.Reason) ? "" : $" ({run.Reason})"));
        return run.Status == RunStatus.Succeeded ? 0 : 1;
    }
}
