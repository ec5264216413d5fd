using System.Runtime.InteropServices;

namespace BuildFarm.Worker.Files;

/// <summary>Hard links: a second name for a file's data, so placing a large file costs no bytes written.</summary>
public static class FileLinks
{
    /// <summary>
    /// Puts <paramref name="source"/> at <paramref name="target"/>: a hard link where the file system allows it, else a copy
    /// (EXDEV: another file system; EPERM; a file system without links). An existing target is replaced.
    /// </summary>
    public static void LinkOrCopy(string source, string target)
    {
        if (Link(source, target) == 0)
        {
            return;
        }

        if (File.Exists(target))
        {
            File.Delete(target);
            if (Link(source, target) == 0)
            {
                return;
            }
        }

        File.Copy(source, target, overwrite: true);
    }

    /// <summary>A hard link at <paramref name="target"/>, or false (nothing changed) where it cannot be made: it exists, another file system, no links.</summary>
    public static bool TryLink(string source, string target) => Link(source, target) == 0;

    // DllImport with an explicit UTF-8 string: LibraryImport needs AllowUnsafeBlocks, which the worker does not set.
    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link([MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
