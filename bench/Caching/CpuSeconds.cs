using System.Diagnostics;
using System.Globalization;
using BuildFarm.Bench.Stats;

namespace BuildFarm.Bench.Caching;

/// <summary>
/// CPU seconds spent by the bench process and by the s3rver that scripts/bench.sh started (its PID
/// from the service's state file). On a machine shared with other work, wall time mostly says how
/// busy the machine was; CPU seconds per operation say what the operation costs.
/// </summary>
internal sealed class CpuSeconds
{
    private readonly TimeSpan _self = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double? _server = ServerSeconds();

    public string Elapsed()
    {
        var self = (Process.GetCurrentProcess().TotalProcessorTime - _self).TotalSeconds;
        return ServerSeconds() is { } server && _server is { } before
            ? $"CPU {self:0.0} s here, {server - before:0.0} s s3rver"
            : $"CPU {self:0.0} s here";
    }

    /// <summary>utime + stime of s3rver's node process, or null when it is not known (Redis-only runs, no state file).</summary>
    private static double? ServerSeconds()
    {
        try
        {
            var services = Environment.GetEnvironmentVariable("BUILDFARM_SERVICES_DIR");
            var state = services is null ? null : Path.Combine(services, "s3.state");
            if (state is null || !File.Exists(state))
            {
                return null;
            }

            var pid = File.ReadLines(state).FirstOrDefault(l => l.StartsWith("PID=", StringComparison.Ordinal))?[4..];
            if (pid is null)
            {
                return null;
            }

            return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? ProcFs.CpuSeconds(id).Own : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
