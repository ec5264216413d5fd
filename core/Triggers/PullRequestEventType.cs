namespace BuildFarm.Core.Triggers;

/// <summary>CodePipeline's pull request events; GitHub's actions map onto them (opened/reopened, synchronize, closed).</summary>
public enum PullRequestEventType
{
    Open,
    Updated,
    Closed,
}
