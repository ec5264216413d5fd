using BuildFarm.Coordinator.Auth;
using System.Text;
using BuildFarm.Coordinator.Logs;

namespace BuildFarm.Coordinator.Api;

public static class LogsEndpoints
{
    private const int MaxResponseBytes = 256 * 1024 * 1024;

    public static RouteGroupBuilder MapLogsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/runs/{id}/log").WithTags("Logs").RequireAuthorization(Permissions.Read);
        group.MapGet("/", GetAsync).WithSummary("The run's log as text/plain (bytes as printed); supports Range. ?job= (id, batch identifier or name) picks a job; else the first.");
        group.MapGet("/follow", FollowAsync)
            .WithSummary("Server-Sent Events: scrollback from ?offset= (or the last ?tail= lines, or Last-Event-ID on reconnect), then the live tail.");
        return group;
    }

    private static async Task<IResult> GetAsync(string id, string? job, RunLogs logs, CancellationToken cancellationToken)
    {
        var jobId = await logs.ResolveJobAsync(RunsEndpoints.ParseId(id), job, cancellationToken);
        var (data, _, _) = await logs.ReadAsync(jobId, 0, MaxResponseBytes, cancellationToken);
        return TypedResults.Bytes(data, "text/plain; charset=utf-8", enableRangeProcessing: true);
    }

    private static async Task FollowAsync(string id, long? offset, int? tail, string? job, HttpContext context, RunLogs logs, LogFollower follower, CancellationToken cancellationToken)
    {
        var jobId = await logs.ResolveJobAsync(RunsEndpoints.ParseId(id), job, cancellationToken);
        // An EventSource reconnects with the id of the last event it got: resume right after it.
        if (long.TryParse(context.Request.Headers["Last-Event-ID"], out var lastEventId))
        {
            offset = lastEventId;
            tail = null;
        }

        var start = await logs.StartOffsetAsync(jobId, offset ?? 0, tail ?? 0, cancellationToken);
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var body = context.Response.Body;
        await foreach (var segment in follower.FollowAsync(jobId, start, cancellationToken))
        {
            // SSE is text: each event carries its byte offset as the id (so a reconnect resumes with
            // Last-Event-ID) and the segment's text, one data: field per line.
            var text = Encoding.UTF8.GetString(segment.Data.Span);
            var sb = new StringBuilder().Append("id: ").Append(segment.End).Append('\n');
            foreach (var line in text.Split('\n'))
            {
                sb.Append("data: ").Append(line).Append('\n');
            }

            await body.WriteAsync(Encoding.UTF8.GetBytes(sb.Append('\n').ToString()), cancellationToken);
            await body.FlushAsync(cancellationToken);
        }

        await body.WriteAsync("event: end\ndata: \n\n"u8.ToArray(), cancellationToken);
    }
}
