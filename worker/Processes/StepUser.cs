namespace BuildFarm.Worker.Processes;

/// <summary>A Linux account a step runs as (buildspec <c>run-as</c>), resolved to its numeric ids.</summary>
/// <param name="Name">The login name, as the buildspec wrote it.</param>
/// <param name="Uid">Its user id.</param>
/// <param name="Gid">Its primary group id.</param>
public sealed record StepUser(string Name, int Uid, int Gid);
