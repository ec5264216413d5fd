namespace BuildFarm.Worker.Caching;

/// <summary>
/// Turns a buildspec's <c>cache.paths</c> into roots. CodeBuild writes them as globs
/// (<c>/root/.gradle/caches/**/*</c>, <c>node_modules/**/*</c>); a trailing <c>/**/*</c> or <c>/**</c>
/// means "the directory". Paths under HOME (<c>~</c>, <c>$HOME</c>, and <c>/root</c>, CodeBuild's
/// HOME) map to the job's HOME; relative paths to its source directory. Anything else would write
/// into the worker's own file system, so it is refused with a reason.
/// </summary>
public static class CachePaths
{
    private static readonly string[] GlobSuffixes = ["/**/*", "/**", "/*"];
    private static readonly string[] HomePrefixes = ["~", "$HOME", "${HOME}", "/root"];

    public static (IReadOnlyList<CacheRoot> Roots, IReadOnlyList<string> Problems) Resolve(IEnumerable<string> paths, string home, string source)
    {
        var roots = new List<CacheRoot>();
        var problems = new List<string>();
        foreach (var raw in paths)
        {
            var path = raw.Trim().Replace('\\', '/');
            var stripped = true;
            while (stripped)
            {
                stripped = false;
                foreach (var suffix in GlobSuffixes)
                {
                    if (path.EndsWith(suffix, StringComparison.Ordinal))
                    {
                        path = path[..^suffix.Length];
                        stripped = true;
                    }
                }
            }

            path = path.TrimEnd('/');
            if (path.IndexOfAny(['*', '?', '[']) >= 0)
            {
                problems.Add($"cache path '{raw}': only a directory or a directory followed by /**/* is supported");
                continue;
            }

            string name;
            string directory;
            if (HomePrefixes.FirstOrDefault(p => path == p || path.StartsWith(p + "/", StringComparison.Ordinal)) is { } prefix)
            {
                var rest = path[prefix.Length..].TrimStart('/');
                name = rest.Length == 0 ? "~" : "~/" + rest;
                directory = rest.Length == 0 ? home : Path.Combine(home, rest);
            }
            else if (path.StartsWith('/') || path.StartsWith('$'))
            {
                problems.Add($"cache path '{raw}' is outside HOME and the source directory");
                continue;
            }
            else
            {
                name = path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
                directory = Path.Combine(source, name);
            }

            if (name.Split('/').Any(s => s is ".." or "." or "") && name != "~")
            {
                problems.Add($"cache path '{raw}' must not contain '.' or '..' segments");
                continue;
            }

            roots.Add(new CacheRoot(name, Path.GetFullPath(directory), GradleHomePathOf(name)));
        }

        // A root inside another would be saved twice and restored over itself.
        var kept = roots
            .Where(r => !roots.Any(o => !ReferenceEquals(o, r) && o.Name != r.Name && IsInside(r.Name, o.Name)))
            .DistinctBy(r => r.Name)
            .ToList();
        return (kept, problems);
    }

    private static bool IsInside(string inner, string outer) =>
        outer == "~" ? inner.StartsWith("~/", StringComparison.Ordinal) : inner.StartsWith(outer + "/", StringComparison.Ordinal);

    private static string? GradleHomePathOf(string name) =>
        name == "~/.gradle" ? ""
        : name.StartsWith("~/.gradle/", StringComparison.Ordinal) ? name["~/.gradle/".Length..] + "/"
        : null;
}
