namespace BuildFarm.Worker.Caching;

/// <summary>
/// CodeBuild's <c>codebuild-hash-files</c>, for cache keys like
/// <c>npm-$(codebuild-hash-files package-lock.json)</c>: one SHA-256 over the files the glob patterns
/// match (relative to the current directory, <c>**</c> included), the same whatever order they are
/// found in. Installed per job and put at the end of PATH, so a real one on the worker wins.
/// </summary>
public static class HashFilesCommand
{
    public const string Name = "codebuild-hash-files";

    private const string Script = """
        #!/usr/bin/env bash
        # codebuild-hash-files PATTERN...: one SHA-256 over the files the patterns match (see BuildFarm's HashFilesCommand).
        set -euo pipefail
        shopt -s globstar nullglob dotglob
        files=()
        for pattern in "$@"; do
            for f in $pattern; do
                if [[ -f $f ]]; then files+=("$f"); fi
            done
        done
        if ((${#files[@]} == 0)); then
            printf '' | sha256sum | cut -d' ' -f1
            exit 0
        fi
        printf '%s\n' "${files[@]}" | LC_ALL=C sort -u | while IFS= read -r f; do
            printf '%s\0' "$f"
            sha256sum <"$f" | cut -d' ' -f1
        done | sha256sum | cut -d' ' -f1

        """;

    /// <summary>Writes the script into <paramref name="directory"/> and appends that directory to the PATH in <paramref name="environment"/>.</summary>
    public static void Install(string directory, IDictionary<string, string> environment)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Name);
        File.WriteAllText(path, Script.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        environment["PATH"] = environment.TryGetValue("PATH", out var existing) && existing.Length > 0 ? existing + ":" + directory : directory;
    }
}
