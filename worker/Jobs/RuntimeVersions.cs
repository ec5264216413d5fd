namespace BuildFarm.Worker.Jobs;

/// <summary>
/// Buildspec <c>runtime-versions</c>. A worker installs no runtimes; it advertises the ones its host
/// has as labels (<c>Worker:Labels</c>, e.g. <c>java:corretto17</c>). A requested runtime the labels
/// do not cover gets the warning CodeBuild prints on images without runtime selection, and the build goes on.
/// </summary>
public static class RuntimeVersions
{
    /// <summary>CodeBuild's own wording for images that cannot select runtimes.</summary>
    public const string SkippingWarning = "Skipping install of runtimes. Runtime version selection is not supported by this build image.";

    /// <summary>The requested runtimes (<c>name: version</c>) that no label provides, in the buildspec's order.</summary>
    /// <remarks>
    /// A label <c>name:version</c> matches that exact version, a <c>1.x</c>-style request whose prefix
    /// it starts with, and <c>latest</c>; a bare label <c>name</c> matches any version of it.
    /// </remarks>
    public static IReadOnlyList<string> Missing(IReadOnlyDictionary<string, string> requested, IReadOnlyCollection<string> labels) =>
        requested.Where(r => !labels.Any(l => Provides(l, r.Key, r.Value))).Select(r => $"{r.Key}: {r.Value}").ToList();

    private static bool Provides(string label, string runtime, string version)
    {
        var colon = label.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? label : label[..colon];
        if (!string.Equals(name.Trim(), runtime, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (colon < 0 || version == "latest")
        {
            return true;
        }

        var has = label[(colon + 1)..].Trim();
        return string.Equals(has, version, StringComparison.OrdinalIgnoreCase)
            || (version.EndsWith(".x", StringComparison.OrdinalIgnoreCase) && has.StartsWith(version[..^1], StringComparison.OrdinalIgnoreCase))
            || (version.EndsWith(".x", StringComparison.OrdinalIgnoreCase) && string.Equals(has, version[..^2], StringComparison.OrdinalIgnoreCase));
    }
}
