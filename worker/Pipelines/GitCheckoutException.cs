namespace BuildFarm.Worker.Pipelines;

/// <summary>A git command of a source action failed; the message names the command and git's last error line.</summary>
public sealed class GitCheckoutException(string message) : Exception(message);
