using Microsoft.Win32.SafeHandles;

namespace BuildFarm.Worker.Caching;

/// <summary>
/// Which restored files a build read, by access time: after a restore each file's atime is set far
/// in the past (older than its mtime, so even a relatime mount records the next read); at save
/// time a file whose atime is still that old was not read. Where the file system does not update
/// atime (noatime) the probe fails and nothing is dropped.
/// </summary>
internal static class AccessTracker
{
    private static readonly DateTime Marker = new(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Whether reads in <paramref name="directory"/> update access times: write, mark, read, look.</summary>
    public static bool IsSupported(string directory)
    {
        var probe = Path.Combine(directory, $".atime-probe-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, [1]);
            MarkUnread(probe);
            using (var stream = File.OpenRead(probe))
            {
                _ = stream.ReadByte();
            }

            return WasRead(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        finally
        {
            File.Delete(probe);
        }
    }

    public static void MarkUnread(string path) => File.SetLastAccessTimeUtc(path, Marker);

    /// <summary>The same through a handle a restore still holds, so the path is not looked up again.</summary>
    public static void MarkUnread(SafeFileHandle file) => File.SetLastAccessTimeUtc(file, Marker);

    public static bool WasRead(string path) => File.GetLastAccessTimeUtc(path) > Marker.AddDays(1);
}
