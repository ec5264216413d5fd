namespace BuildFarm.Core.Definitions;

/// <summary>CodeDeploy's EC2/on-premises lifecycle events for an in-place deployment, in the order they run.</summary>
public static class AppSpecLifecycle
{
    public const string ApplicationStop = "ApplicationStop";
    public const string DownloadBundle = "DownloadBundle";
    public const string BeforeInstall = "BeforeInstall";
    public const string Install = "Install";
    public const string AfterInstall = "AfterInstall";
    public const string ApplicationStart = "ApplicationStart";
    public const string ValidateService = "ValidateService";

    /// <summary>Every event of an in-place deployment, in order.</summary>
    public static IReadOnlyList<string> Events { get; } =
        [ApplicationStop, DownloadBundle, BeforeInstall, Install, AfterInstall, ApplicationStart, ValidateService];

    /// <summary>The events an appspec may attach scripts to.</summary>
    public static IReadOnlyList<string> Scriptable { get; } =
        [ApplicationStop, BeforeInstall, AfterInstall, ApplicationStart, ValidateService];

    /// <summary>Run by the agent itself; an appspec may not script them.</summary>
    public static IReadOnlyList<string> Reserved { get; } = [DownloadBundle, Install];

    /// <summary>
    /// Load-balancer events: valid in an appspec, but they run only with a load balancer in front of the
    /// group, which the farm does not manage, so they are accepted and never run.
    /// </summary>
    public static IReadOnlyList<string> TrafficEvents { get; } =
        ["BeforeBlockTraffic", "AfterBlockTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"];
}
