namespace BuildFarm.Core.Definitions;

/// <summary>The buildspec's <c>cache.action</c>; without one CodeBuild both restores and saves.</summary>
public enum BuildSpecCacheAction
{
    RestoreAndSave,
    Restore,
    Save,
}
