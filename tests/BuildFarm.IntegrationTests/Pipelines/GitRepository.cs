using System.Diagnostics;

namespace BuildFarm.IntegrationTests.Pipelines;

/// <summary>A real git repository in a temp directory, reachable as file:// — what a source action checks out.</summary>
internal sealed class GitRepository : IDisposable
{
    private GitRepository(string path) => Path = path;

    public string Path { get; }

    public Uri Url => new($"file://{Path}");

    public static GitRepository Create()
    {
        var repository = new GitRepository(Directory.CreateTempSubdirectory("bf-it-git-").FullName);
        repository.Git("init", "-q", "-b", "main");
        return repository;
    }

    /// <summary>Writes the files, commits them, and returns the commit's id.</summary>
    public string Commit(string message, params (string Name, string Text)[] files)
    {
        foreach (var (name, text) in files)
        {
            var path = System.IO.Path.Combine(Path, name);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
        Git("add", "-A");
        Git("-c", "user.email=tests@buildfarm.invalid", "-c", "user.name=tests", "commit", "-q", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>A bare copy of this repository at root/name, as a git server serves it.</summary>
    public string Bare(string root, string name)
    {
        var path = System.IO.Path.Combine(root, name);
        Git("clone", "-q", "--bare", Path, path);
        return path;
    }

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error}");
        }
        return output;
    }
}
