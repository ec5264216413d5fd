namespace BuildFarm.UnitTests.Worker.Artifacts;

/// <summary>One zip entry as read back; <c>UnixMode</c> is st_mode as stored: the file type in the high bits (0100000 regular, 0120000 symlink), permissions below.</summary>
internal sealed record ZipEntryInfo(string Name, int UnixMode, string Content)
{
    public bool IsSymlink => (UnixMode & 0xF000) == 0xA000;
    public bool IsRegularFile => (UnixMode & 0xF000) == 0x8000;
    public int Permissions => UnixMode & 0x1FF;
}
