using System.Globalization;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Output;

/// <summary>One run for a person: header fields, then a table of each job's phases.</summary>
public static class RunDetails
{
    public static async Task WriteAsync(TextWriter output, Run run, DateTimeOffset now)
    {
        await output.WriteLineAsync($"Run:      {run.Id}");
        await output.WriteLineAsync($"Pipeline: {run.Pipeline}@{run.PipelineVersion}");
        await output.WriteLineAsync($"Status:   {StatusWord.Of(run.Status)}" + (string.IsNullOrEmpty(run.Reason) ? "" : $" ({run.Reason})"));
        await output.WriteLineAsync($"Created:  {RelativeTime.Format(run.CreatedAt.ToDateTimeOffset(), now)}");
        if (run.FinishedAt is not null)
        {
            await output.WriteLineAsync($"Took:     {RelativeTime.Duration(run.FinishedAt.ToDateTimeOffset() - run.CreatedAt.ToDateTimeOffset())}");
        }

        foreach (var job in run.Jobs)
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"Job {job.Name}: {StatusWord.Of(job.Status)}, attempt {job.Attempt}" + (string.IsNullOrEmpty(job.WorkerId) ? "" : $" on {job.WorkerId}"));
            if (job.Phases.Count > 0)
            {
                await Table.WriteAsync(
                    output,
                    ["PHASE", "STATUS", "EXIT", "TOOK"],
                    job.Phases.Select(p => (IReadOnlyList<string>)
                    [
                        p.Name,
                        p.Status,
                        p.ExitCode.ToString(CultureInfo.InvariantCulture),
                        RelativeTime.Duration(p.FinishedAt.ToDateTimeOffset() - p.StartedAt.ToDateTimeOffset()),
                    ]).ToList());
            }
        }
    }
}
