namespace BuildFarm.Core.Triggers;

public enum GitEventKind
{
    Push,
    PullRequest,
}
