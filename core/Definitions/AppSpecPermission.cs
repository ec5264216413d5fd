namespace BuildFarm.Core.Definitions;

/// <summary>One <c>permissions</c> entry, applied after the files are installed.</summary>
/// <param name="Object">An absolute path: a file, or a directory whose contents <see cref="Pattern"/> selects.</param>
/// <param name="Pattern">A glob over names under <see cref="Object"/> (<c>**</c>, the default, is everything).</param>
/// <param name="Except">Glob patterns of names to leave alone.</param>
/// <param name="Owner">User name, or null to leave the owner.</param>
/// <param name="Group">Group name, or null to leave the group.</param>
/// <param name="Mode">Octal permission bits as written (<c>644</c>, <c>4755</c>), or null.</param>
/// <param name="Types">Which kinds of entries get the permissions; both when the appspec names none.</param>
public sealed record AppSpecPermission(
    string Object,
    string Pattern,
    IReadOnlyList<string> Except,
    string? Owner,
    string? Group,
    string? Mode,
    AppSpecPermissionTypes Types);
