namespace BuildFarm.Core.Definitions.Pipelines;

/// <summary>The configuration keys each category reads, and their defaults; shared by the parser and the engine.</summary>
public static class ActionConfigurationKeys
{
    public const string Repository = "repository";
    public const string Branch = "branch";
    public const string CloneDepth = "cloneDepth";
    public const string Submodules = "submodules";
    public const string CredentialsSecret = "credentialsSecret";
    public const string BuildSpec = "buildspec";
    public const string TimeoutInMinutes = "timeoutInMinutes";
    public const string EnvironmentVariables = "environmentVariables";
    public const string Application = "application";
    public const string DeploymentGroup = "deploymentGroup";
    public const string DeploymentConfig = "deploymentConfig";
    public const string Summary = "summary";
    public const string TimeoutMinutes = "timeoutMinutes";
    public const string Command = "command";

    /// <summary>The secret variable a source action's credentials reach the worker under (masked in the log like every secret).</summary>
    public const string GitCredentialsVariable = "BUILDFARM_GIT_CREDENTIALS";

    public const string DefaultBranch = "main";
    public const int DefaultCloneDepth = 1;
    public const string DefaultBuildSpec = "buildspec.yml";

    /// <summary>CodePipeline's manual approval limit, and its default: 7 days.</summary>
    public const int MaxApprovalMinutes = 7 * 24 * 60;

    /// <summary>CodeBuild's build timeout limit (36 hours).</summary>
    public const int MaxBuildMinutes = 2160;

    public static IReadOnlyList<string> For(PipelineActionCategory category) => category switch
    {
        PipelineActionCategory.Source => [Repository, Branch, CloneDepth, Submodules, CredentialsSecret],
        PipelineActionCategory.Build or PipelineActionCategory.Test => [BuildSpec, TimeoutInMinutes, EnvironmentVariables],
        PipelineActionCategory.Deploy => [Application, DeploymentGroup, DeploymentConfig],
        PipelineActionCategory.Approval => [Summary, TimeoutMinutes],
        PipelineActionCategory.Invoke => [Command, TimeoutInMinutes, EnvironmentVariables],
        _ => [],
    };

    public static IReadOnlyList<string> RequiredFor(PipelineActionCategory category) => category switch
    {
        PipelineActionCategory.Source => [Repository],
        PipelineActionCategory.Deploy => [Application, DeploymentGroup],
        PipelineActionCategory.Invoke => [Command],
        _ => [],
    };
}
