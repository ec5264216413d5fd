extern alias worker;

using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using BuildFarm.IntegrationTests.Fixtures;
using BuildFarm.IntegrationTests.Runs;
using BuildFarm.Protos.V1;
using worker::BuildFarm.Worker.Pipelines;

namespace BuildFarm.IntegrationTests.Pipelines;

/// <summary>
/// The source action's git checkout against real servers on 127.0.0.1: file://, <c>git daemon</c> (git://) and
/// <c>git http-backend</c> behind Basic auth (http://): clone depth, the exact commit, submodules on and off, and
/// credentials — given directly, and from the farm's secret store through a pipeline run.
/// </summary>
public sealed class GitSourceTests(FarmFixture farm) : IClassFixture<FarmFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private const string Token = "ghp_loopbackTokenForGitTests0123456789";

    [Fact]
    public async Task Clone_depth_1_fetches_one_commit_0_the_whole_history_and_a_named_commit_is_checked_out_exactly()
    {
        using var repository = GitRepository.Create();
        repository.Commit("one", ("a.txt", "1\n"));
        var middle = repository.Commit("two", ("a.txt", "2\n"));
        var head = repository.Commit("three", ("a.txt", "3\n"));

        var shallow = await CheckOutAsync(repository.Url.ToString(), "main", depth: 1);
        var full = await CheckOutAsync(repository.Url.ToString(), "main", depth: 0);
        var exact = await CheckOutAsync(repository.Url.ToString(), middle, depth: 1);

        Assert.Equal((head, "1", "3\n"), (shallow.Head, Git(shallow.Directory, "rev-list", "--count", "HEAD").Trim(), await File.ReadAllTextAsync(Path.Combine(shallow.Directory, "a.txt"), Wait.Up(Limit))));
        Assert.Equal((head, "3"), (full.Head, Git(full.Directory, "rev-list", "--count", "HEAD").Trim()));
        Assert.Equal((middle, "1", "2\n"), (exact.Head, Git(exact.Directory, "rev-list", "--count", "HEAD").Trim(), await File.ReadAllTextAsync(Path.Combine(exact.Directory, "a.txt"), Wait.Up(Limit))));
    }

    [Fact]
    public async Task Submodules_are_checked_out_only_when_asked_over_git_daemon()
    {
        var root = Directory.CreateTempSubdirectory("bf-it-gitd-").FullName;
        using var library = GitRepository.Create();
        using var application = GitRepository.Create();
        try
        {
            library.Commit("lib", ("lib.txt", "library\n"));
            library.Bare(root, "lib.git");
            using var daemon = await GitDaemon.StartAsync(root);
            application.Commit("app", ("app.txt", "application\n"));
            application.Git("submodule", "add", "-q", new Uri(daemon.Url, "lib.git").ToString(), "lib");
            var commit = application.Commit("add lib");
            application.Bare(root, "app.git");
            var url = new Uri(daemon.Url, "app.git").ToString();

            var with = await CheckOutAsync(url, "main", depth: 1, submodules: true);
            var without = await CheckOutAsync(url, "main", depth: 1, submodules: false);

            Assert.Equal(commit, with.Head);
            Assert.Equal("library\n", await File.ReadAllTextAsync(Path.Combine(with.Directory, "lib", "lib.txt"), Wait.Up(Limit)));
            Assert.Equal(commit, without.Head);
            Assert.True(File.Exists(Path.Combine(without.Directory, "app.txt")));
            Assert.False(File.Exists(Path.Combine(without.Directory, "lib", "lib.txt")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task An_http_backend_behind_basic_auth_needs_the_credentials_and_the_log_never_shows_them()
    {
        var root = Directory.CreateTempSubdirectory("bf-it-githttp-").FullName;
        using var repository = GitRepository.Create();
        try
        {
            var commit = repository.Commit("one", ("a.txt", "private\n"));
            repository.Bare(root, "private.git");
            await using var backend = await GitHttpBackend.StartAsync(root, $"x-access-token:{Token}");
            var url = new Uri(backend.Url, "private.git").ToString();

            var log = new List<string>();
            var granted = await CheckOutAsync(url, "main", depth: 1, credentials: Token, log: log);
            var refused = await Assert.ThrowsAsync<GitCheckoutException>(() => CheckOutAsync(url, "main", depth: 1));
            var wrong = await Assert.ThrowsAsync<GitCheckoutException>(() => CheckOutAsync(url, "main", depth: 1, credentials: "x-access-token:nope"));

            Assert.Equal(commit, granted.Head);
            Assert.DoesNotContain(log, line => line.Contains(Token, StringComparison.Ordinal));
            Assert.Contains("git fetch", refused.Message, StringComparison.Ordinal);
            Assert.Contains("git fetch", wrong.Message, StringComparison.Ordinal);
            Assert.True(backend.Refused >= 2);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_pipeline_source_takes_its_credentials_from_the_secret_store()
    {
        var root = Directory.CreateTempSubdirectory("bf-it-gitsecret-").FullName;
        using var repository = GitRepository.Create();
        try
        {
            repository.Commit("one", ("buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - grep -q private a.txt\n"), ("a.txt", "private\n"));
            repository.Bare(root, "private.git");
            await using var backend = await GitHttpBackend.StartAsync(root, $"x-access-token:{Token}");
            (await farm.Http.PutAsJsonAsync("/api/secrets/git/private", new { value = Token }, Wait.Up(Limit))).EnsureSuccessStatusCode();
            await farm.Client.ApplyPipelineAsync("private-source", $$"""
                version: 1
                executionMode: PARALLEL
                stages:
                  - name: Source
                    actions:
                      - name: Checkout
                        category: source
                        configuration: { repository: "{{new Uri(backend.Url, "private.git")}}", credentialsSecret: git/private }
                        outputArtifacts: [Src]
                  - name: Build
                    actions:
                      - name: Compile
                        category: build
                        inputArtifacts: [Src]
                """, "pipeline.yml", Wait.Up(Limit));

            var queued = await farm.Client.TriggerRunAsync("private-source", cancellationToken: Wait.Up(Limit));
            var run = await farm.Client.WaitForRunAsync(queued.Id, TimeSpan.FromMilliseconds(50), Wait.Up(Limit));

            Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.Reason} / {string.Join("; ", run.Jobs.Select(j => $"{j.Name} {j.Status} {j.Reason}"))}");
            var log = Encoding.UTF8.GetString(await farm.Client.GetLogAsync(queued.Id, Wait.Up(Limit)));
            Assert.Contains("Checked out http://127.0.0.1:", log, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, log, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(string Head, string Directory)> CheckOutAsync(
        string url, string reference, int depth, bool submodules = false, string? credentials = null, List<string>? log = null)
    {
        var directory = Directory.CreateTempSubdirectory("bf-it-checkout-").FullName;
        var head = await GitCheckout.RunAsync(url, reference, depth, submodules, credentials, directory, line => log?.Add(line), Wait.Up(Limit));
        return (head, directory);
    }

    private static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit(30_000);
        return output;
    }
}
