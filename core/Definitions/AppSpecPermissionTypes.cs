namespace BuildFarm.Core.Definitions;

/// <summary>The <c>type</c> list of a permissions entry.</summary>
[Flags]
public enum AppSpecPermissionTypes
{
    None = 0,
    File = 1,
    Directory = 2,
    Both = File | Directory,
}
