namespace BuildFarm.Core.Definitions;

/// <summary>
/// A CodeDeploy <c>appspec.yml</c> as CodeDeploy reads it. Only <see cref="AppSpecPlatform.Server"/> appspecs
/// (EC2/on-premises) can be deployed by the farm; ECS and Lambda ones are recognised and validated so that
/// the refusal at deploy time can say exactly why.
/// </summary>
/// <param name="Version">Always "0.0": the only version CodeDeploy has.</param>
/// <param name="Platform">What the appspec deploys to, from its shape.</param>
/// <param name="Os"><c>linux</c> or <c>windows</c>; empty for ECS/Lambda appspecs, which have none.</param>
/// <param name="Files">Copied by the Install event, in file order.</param>
/// <param name="FileExistsBehavior">What Install does with a destination file it did not install itself.</param>
/// <param name="Permissions">Applied after the copy, in file order.</param>
/// <param name="Hooks">Scripts per lifecycle event, in the order they run within the event.</param>
public sealed record AppSpec(
    string Version,
    AppSpecPlatform Platform,
    string Os,
    IReadOnlyList<AppSpecFile> Files,
    AppSpecFileExistsBehavior FileExistsBehavior,
    IReadOnlyList<AppSpecPermission> Permissions,
    IReadOnlyDictionary<string, IReadOnlyList<AppSpecHook>> Hooks)
{
    /// <summary>CodeDeploy's default and the ceiling for all the scripts of one event together.</summary>
    public const int MaxEventTimeoutSeconds = 3600;

    /// <summary>The scripts of an event, or none.</summary>
    public IReadOnlyList<AppSpecHook> HooksFor(string lifecycleEvent) =>
        Hooks.TryGetValue(lifecycleEvent, out var hooks) ? hooks : [];

    /// <summary>Why the farm cannot deploy this appspec on a host of <paramref name="hostOs"/>, or null when it can.</summary>
    public string? RefusalOn(string hostOs) => Platform switch
    {
        AppSpecPlatform.Ecs => "This is an Amazon ECS appspec (Resources with a TaskDefinition); the farm deploys only to EC2/on-premises servers.",
        AppSpecPlatform.Lambda => "This is an AWS Lambda appspec (Resources with an AWS::Lambda::Function); the farm deploys only to EC2/on-premises servers.",
        _ when !string.Equals(Os, hostOs, StringComparison.Ordinal) => $"The appspec is for 'os: {Os}' but this agent runs on {hostOs}.",
        _ => null,
    };
}
