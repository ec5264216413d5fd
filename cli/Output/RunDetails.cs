using System.Globalization;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Output;

/// <summary>One run for a person: header fields, then a table of each job's phases.</summary>
public static class RunDetails
{
    public static async Task WriteAsync(TextWriter output, Run run, DateTimeOffset now)
    {
        var lines = new MarkupWriter(output);
        await lines.WriteLineAsync($"Run:      {MarkupWriter.Escape(run.Id)}");
        await lines.WriteLineAsync($"Pipeline: {MarkupWriter.Escape($"{run.Pipeline}@{run.PipelineVersion}")}");
        await lines.WriteLineAsync($"Status:   {StatusColour.Markup(run.Status)}" + (string.IsNullOrEmpty(run.Reason) ? "" : MarkupWriter.Escape($" ({run.Reason})")));
        await lines.WriteLineAsync($"Created:  {RelativeTime.Format(run.CreatedAt.ToDateTimeOffset(), now)}");
        if (run.FinishedAt is not null)
        {
            await lines.WriteLineAsync($"Took:     {RelativeTime.Duration(run.FinishedAt.ToDateTimeOffset() - run.CreatedAt.ToDateTimeOffset())}");
        }

        if (run.Batch is { } batch)
        {
            await lines.WriteLineAsync($"Batch:    {MarkupWriter.Escape($"{batch.Kind}, {run.Jobs.Count} builds{(batch.FastFail ? ", fast-fail" : "")}")}");
        }

        foreach (var job in run.Jobs)
        {
            await lines.WriteLineAsync();
            await lines.WriteLineAsync($"{(job.Identifier.Length > 0 ? "Build" : "Job")} {MarkupWriter.Escape(job.Name)}: {StatusColour.Markup(job.Status)}, attempt {job.Attempt}"
                + (string.IsNullOrEmpty(job.WorkerId) ? "" : MarkupWriter.Escape($" on {job.WorkerId}"))
                + MarkupWriter.Escape(BatchFacts(job)));
            if (job.Phases.Count > 0)
            {
                await Table.WriteAsync(
                    output,
                    ["PHASE", "STATUS", "EXIT", "TOOK"],
                    job.Phases.Select(p => (IReadOnlyList<Cell>)
                    [
                        p.Name,
                        p.Status,
                        p.ExitCode.ToString(CultureInfo.InvariantCulture),
                        RelativeTime.Duration(p.FinishedAt.ToDateTimeOffset() - p.StartedAt.ToDateTimeOffset()),
                    ]).ToList());
            }
        }
    }

    /// <summary>A batch member's dependencies, ignore-failure and reason, for its heading; empty for other jobs.</summary>
    private static string BatchFacts(Job job) =>
        job.Identifier.Length == 0
            ? ""
            : (job.DependOn.Count > 0 ? $", after {string.Join(", ", job.DependOn)}" : "")
              + (job.IgnoreFailure ? ", ignore-failure" : "")
              + (string.IsNullOrEmpty(job.Reason) ? "" : $" ({job.Reason})");
}
