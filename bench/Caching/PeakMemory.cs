namespace BuildFarm.Bench.Caching;

/// <summary>Peak RSS growth over one operation, from /proc (Linux resets the high-water mark on "5" in clear_refs).</summary>
internal static class PeakMemory
{
    public static long ResetAndReadRss()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Read("VmRSS:");
    }

    public static long PeakSince(long rssBefore) => Read("VmHWM:") - rssBefore;

    private static long Read(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
    }
}
