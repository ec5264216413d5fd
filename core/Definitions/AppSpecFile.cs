namespace BuildFarm.Core.Definitions;

/// <summary>One <c>files</c> entry.</summary>
/// <param name="Source">Relative to the bundle root; <c>/</c> (or empty) is the whole bundle. A directory is copied with its contents.</param>
/// <param name="Destination">An absolute path on the host: the directory the source goes into.</param>
public sealed record AppSpecFile(string Source, string Destination)
{
    /// <summary>The bundle-relative source without leading or trailing slashes; empty for the whole bundle.</summary>
    public string NormalizedSource => Source.Trim('/');
}
