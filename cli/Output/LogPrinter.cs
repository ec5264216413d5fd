using BuildFarm.Client;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Output;

/// <summary>Follows a run's log and writes its bytes as they arrive: stdout to stdout, stderr to stderr.</summary>
public static class LogPrinter
{
    public static async Task FollowAsync(BuildFarmClient client, string runId, CancellationToken cancellationToken)
    {
        await using var stdout = Console.OpenStandardOutput();
        await using var stderr = Console.OpenStandardError();
        await foreach (var segment in client.FollowLogAsync(runId, cancellationToken: cancellationToken))
        {
            var target = segment.Stream == LogStream.Stderr ? stderr : stdout;
            await target.WriteAsync(segment.Data.Memory, cancellationToken);
            await target.FlushAsync(cancellationToken);
        }
    }
}
