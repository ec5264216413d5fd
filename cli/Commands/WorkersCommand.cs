using BuildFarm.Cli.Output;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>`buildfarm workers [drain|disable|enable ID]`: the farm's workers, and taking one out of rotation.</summary>
public static class WorkersCommand
{
    public static Task<int> ListAsync(CliContext context, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var workers = await client.ListWorkersAsync(cancellationToken);
            if (context.Json)
            {
                var response = new ListWorkersResponse();
                response.Workers.AddRange(workers);
                await Json.WriteAsync(context.Output, response);
                return 0;
            }

            var now = context.Time.GetUtcNow();
            await Table.WriteAsync(
                context.Output,
                ["ID", "STATE", "MODE", "RUNNING", "FREE SLOTS", "LAST HEARTBEAT", "LABELS"],
                workers.Select(w => (IReadOnlyList<Cell>)[
                    w.Id,
                    w.Alive ? "alive" : "lost",
                    Mode(w.Mode),
                    w.RunningJobs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    w.FreeSlots.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    RelativeTime.Format(w.LastHeartbeatAt.ToDateTimeOffset(), now),
                    string.Join(',', w.Labels)]).ToList());
            return 0;
        });

    /// <param name="context">The server command's context.</param>
    /// <param name="action">drain, disable or enable.</param>
    /// <param name="id">The worker's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static Task<int> SetAsync(CliContext context, string action, string id, CancellationToken cancellationToken) =>
        Remote.CallAsync(context, async client =>
        {
            var worker = action switch
            {
                "drain" => await client.DrainWorkerAsync(id, cancellationToken),
                "disable" => await client.DisableWorkerAsync(id, cancellationToken),
                _ => await client.EnableWorkerAsync(id, cancellationToken),
            };
            if (context.Json)
            {
                await Json.WriteAsync(context.Output, worker);
            }
            else
            {
                await context.Output.WriteLineAsync(
                    $"worker {worker.Id} is {Mode(worker.Mode)}{(worker.Mode == WorkerMode.Active ? "" : $"; {worker.RunningJobs} job(s) still running")}");
            }

            return 0;
        });

    private static string Mode(WorkerMode mode) => mode switch
    {
        WorkerMode.Draining => "draining",
        WorkerMode.Disabled => "disabled",
        _ => "active",
    };
}
