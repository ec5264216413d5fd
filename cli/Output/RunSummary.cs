using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Output;

/// <summary>The closing lines of a run: each phase, then the result; the exit code reflects the result.</summary>
public static class RunSummary
{
    public static async Task<int> PrintAsync(Run run, TextWriter output)
    {
        var lines = new MarkupWriter(output);
        await lines.WriteLineAsync();
        foreach (var job in run.Jobs)
        {
            // A batch: each member build, then its phases.
            if (job.Identifier.Length > 0)
            {
                await lines.WriteLineAsync(MarkupWriter.Escape($"  build {job.Identifier}: ") + StatusColour.Markup(job.Status)
                    + (string.IsNullOrEmpty(job.Reason) ? "" : MarkupWriter.Escape($" ({job.Reason})")));
            }

            foreach (var phase in job.Phases)
            {
                var took = phase.FinishedAt.ToDateTimeOffset() - phase.StartedAt.ToDateTimeOffset();
                await lines.WriteLineAsync(MarkupWriter.Escape($"  {phase.Name,-12} {phase.Status,-10} exit {phase.ExitCode,-4} {took.TotalSeconds:0.000}s"));
            }
        }

        var total = run.FinishedAt is null ? TimeSpan.Zero : run.FinishedAt.ToDateTimeOffset() - run.CreatedAt.ToDateTimeOffset();
        var status = $"[{StatusColour.Of(run.Status).ToMarkup()}]{run.Status.ToString().ToUpperInvariant()}[/]";
        await lines.WriteLineAsync(MarkupWriter.Escape($"Run {run.Id} of {run.Pipeline}@{run.PipelineVersion}: ") + status + MarkupWriter.Escape($" in {total.TotalSeconds:0.00}s")
            + (string.IsNullOrEmpty(run.Reason) ? "" : MarkupWriter.Escape($" ({run.Reason})")));
        return run.Status == RunStatus.Succeeded ? 0 : 1;
    }
}
