namespace BuildFarm.Worker.Deploy;

/// <summary>What Install wrote: the entries the next deployment cleans up, and every directory files went into.</summary>
public sealed record InstallResult(InstalledEntries Installed, IReadOnlyCollection<string> TouchedDirectories, int RetainedFiles);
