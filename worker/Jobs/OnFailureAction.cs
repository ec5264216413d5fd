namespace BuildFarm.Worker.Jobs;

public enum OnFailureAction
{
    Default,
    Abort,
    Continue,
    Retry,
}
