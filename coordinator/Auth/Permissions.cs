namespace BuildFarm.Coordinator.Auth;

/// <summary>What an endpoint requires; each is also the name of the authorization policy that checks it.</summary>
public static class Permissions
{
    /// <summary>See pipelines, runs, logs, workers.</summary>
    public const string Read = "read";

    /// <summary>Start runs.</summary>
    public const string Trigger = "trigger";

    /// <summary>Cancel, retry, approve.</summary>
    public const string Operate = "operate";

    /// <summary>Change definitions, secrets, tokens, workers.</summary>
    public const string Admin = "admin";

    /// <summary>The worker gateway: claim jobs, heartbeat, write logs.</summary>
    public const string Work = "work";

    public static readonly IReadOnlyList<string> All = [Read, Trigger, Operate, Admin, Work];

    /// <summary>The claim type under which a caller's permissions are carried.</summary>
    public const string ClaimType = "buildfarm:permission";
}
