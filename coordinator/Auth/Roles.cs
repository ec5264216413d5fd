namespace BuildFarm.Coordinator.Auth;

/// <summary>
/// The roles a token can have. Each grants a fixed set of <see cref="Permissions"/>; there is no
/// per-token permission list, so what a role may do is decided here and nowhere else.
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Operator = "operator";
    public const string Viewer = "viewer";

    /// <summary>Automation: triggers runs and reads their state, nothing else.</summary>
    public const string Trigger = "trigger";

    /// <summary>Workers and deploy agents: claim jobs, heartbeat, stream logs; nothing a person uses.</summary>
    public const string Worker = "worker";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer, Trigger, Worker];

    private static readonly Dictionary<string, string[]> Granted = new(StringComparer.Ordinal)
    {
        [Admin] = [Permissions.Read, Permissions.Trigger, Permissions.Operate, Permissions.Admin, Permissions.Work],
        [Operator] = [Permissions.Read, Permissions.Trigger, Permissions.Operate],
        [Viewer] = [Permissions.Read],
        [Trigger] = [Permissions.Read, Permissions.Trigger],
        [Worker] = [Permissions.Work],
    };

    public static bool IsKnown(string role) => Granted.ContainsKey(role);

    public static IReadOnlyList<string> PermissionsOf(string role) => Granted.TryGetValue(role, out var permissions) ? permissions : [];
}
