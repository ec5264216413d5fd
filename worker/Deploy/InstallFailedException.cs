namespace BuildFarm.Worker.Deploy;

/// <summary>The Install event cannot go on; the message is what the deployment's history shows.</summary>
public sealed class InstallFailedException(string message) : Exception(message);
