using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BuildFarm.Bench.Farms;
using BuildFarm.Cli.Embedded;
using Microsoft.Extensions.Hosting;

namespace BuildFarm.Bench.Pipelines;

/// <summary>
/// Push → deployed: the seed's flow (examples/seed: Gradle backend, appspec.yml, hook scripts) in a real git repository,
/// as a three-stage pipeline file (git source → the seed's buildspec → CodeDeploy to an agent) started by a signed
/// GitHub push webhook. Prints each stage's time, the time inside user commands (buildspec phases, hook scripts) and
/// the farm's overhead outside them: everything else from the push to the run's Succeeded (target ≤ 1 s).
/// Embedded: SQLite, coordinator and worker in one host. Distributed: PostgreSQL, RabbitMQ, separate hosts. The
/// agent is a host of its own in both, on RabbitMQ (the in-memory bus of the embedded farm reaches no other host).
/// </summary>
public static class PushToDeployBenchmark
{
    private const string Secret = "bench-webhook-secret";

    public static async Task<int> RunAsync(string mode, int runs, CancellationToken cancellationToken)
    {
        var rabbit = Environment.GetEnvironmentVariable("BUILDFARM_TEST_RABBITMQ")
            ?? throw new InvalidOperationException("BUILDFARM_TEST_RABBITMQ is not set: run `scripts/bench.sh pipeline`, which starts PostgreSQL and RabbitMQ.");
        var worst = 0.0;
        foreach (var distributed in mode switch { "embedded" => new[] { false }, "distributed" => [true], _ => [false, true] })
        {
            worst = Math.Max(worst, await SittingAsync(distributed, rabbit, runs, cancellationToken));
        }
        var load = (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ')[0];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"\nworst farm overhead of a warm push → deployed: {worst:0} ms (target ≤ 1000 ms); load average now {load} on {Environment.ProcessorCount} cores"));
        return 0;
    }

    private static async Task<double> SittingAsync(bool distributed, string rabbit, int runs, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("bf-bench-pipeline-").FullName;
        var hosts = new List<IHost>();
        try
        {
            var name = $"bench{Guid.NewGuid():N}"[..16];
            var grpc = $"http://127.0.0.1:{FarmHosts.FreePort()}";
            var httpUrl = $"http://127.0.0.1:{FarmHosts.FreePort()}";
            var shared = new Dictionary<string, string?>
            {
                ["Messaging:Transport"] = "RabbitMq",
                ["Messaging:RabbitMqUri"] = rabbit,
                ["Messaging:RunJobQueue"] = $"run-job-{name}",
                ["Coordinator:HttpUrl"] = httpUrl,
                ["Coordinator:GrpcUrl"] = grpc,
                ["Worker:CoordinatorUrl"] = grpc,
                ["Worker:Token"] = BenchFarm.Token,
                ["Auth:BootstrapToken"] = BenchFarm.Token,
                ["Artifacts:FileSystemRoot"] = Path.Combine(directory, "artifacts"),
                // The webhook secret lives in the secret store, encrypted with this key.
                ["Secrets:Key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Deployments:AgentHeartbeatSeconds"] = "1",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            };
            if (distributed)
            {
                var postgres = Environment.GetEnvironmentVariable("BUILDFARM_TEST_POSTGRES")
                    ?? throw new InvalidOperationException("BUILDFARM_TEST_POSTGRES is not set: run `scripts/bench.sh pipeline`.");
                await BenchFarm.CreateDatabaseAsync(postgres, name, cancellationToken);
                shared["Database:Provider"] = "Postgres";
                shared["Database:ConnectionString"] = BenchFarm.ReplaceDatabase(postgres, name);
            }
            else
            {
                shared["Database:Provider"] = "Sqlite";
                shared["Database:ConnectionString"] = $"Data Source={Path.Combine(directory, "buildfarm.db")}";
            }
            var worker = new Dictionary<string, string?>(shared) { ["Worker:Id"] = "bench-worker", ["Worker:WorkRoot"] = Path.Combine(directory, "work") };
            var coordinator = FarmHosts.BuildCoordinator(distributed ? shared : worker, withWorker: !distributed);
            await coordinator.StartAsync(cancellationToken);
            hosts.Add(coordinator);
            if (distributed)
            {
                hosts.Add(await StartAsync(FarmHosts.BuildWorker(worker), cancellationToken));
            }
            var root = Path.Combine(directory, "host");
            hosts.Add(await StartAsync(FarmHosts.BuildWorker(new Dictionary<string, string?>(shared)
            {
                ["Worker:Role"] = "Agent",
                ["Agent:InstanceName"] = $"seed-host-{name[^6..]}",
                ["Agent:Group"] = "dev",
                ["Agent:Root"] = root,
            }), cancellationToken));

            using var http = new HttpClient { BaseAddress = new Uri(httpUrl), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BenchFarm.Token);
            (await http.PutAsJsonAsync("/api/applications/seed", new { }, cancellationToken)).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync("/api/applications/seed/groups/dev", new { }, cancellationToken)).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync("/api/secrets/webhooks/github/seed", new { value = Secret }, cancellationToken)).EnsureSuccessStatusCode();
            await WaitForAgentAsync(http, cancellationToken);
            var repository = SeedRepository(Path.Combine(directory, "seed.git"));
            using (var apply = new HttpRequestMessage(HttpMethod.Put, "/api/pipelines/seed?fileName=pipeline.yml") { Content = new StringContent(Pipeline(repository), Encoding.UTF8, "application/yaml") })
            {
                (await http.SendAsync(apply, cancellationToken)).EnsureSuccessStatusCode();
            }

            Console.WriteLine($"\n{(distributed ? "distributed (PostgreSQL, RabbitMQ; coordinator, worker and agent hosts)" : "embedded (SQLite; coordinator and worker in one host; agent host on RabbitMQ)")}:");
            Console.WriteLine($"  {"push",-6} {"total",8} {"source",8} {"build",8} {"deploy",8} {"user",8} {"overhead",9} {"gaps",6} {"src-git",8} {"bld-out",8} {"dep-out",8}");
            var warm = new List<double>();
            for (var i = 1; i <= runs; i++)
            {
                var commit = Commit(repository, i);
                var pushed = Stopwatch.GetTimestamp();
                var pushedAt = DateTimeOffset.UtcNow;
                var runId = await PushAsync(http, commit, cancellationToken);
                var run = await FinishAsync(http, runId, cancellationToken);
                var total = Stopwatch.GetElapsedTime(pushed).TotalMilliseconds;
                if (run.GetProperty("status").GetString() != "Succeeded")
                {
                    throw new InvalidOperationException($"push {i}: run {runId} {run.GetProperty("status").GetString()}: {run.GetProperty("reason")}");
                }
                var figures = Figures(http, run, pushedAt, total, cancellationToken);
                var f = await figures;
                if (i > 1)
                {
                    warm.Add(f.Overhead);
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {i + (i == 1 ? " cold" : ""),-6} {total,8:0} {f.Source,8:0} {f.Build,8:0} {f.Deploy,8:0} {f.User,8:0} {f.Overhead,9:0} {f.Gaps,6:0} {f.SourceGit,8:0} {f.BuildOutside,8:0} {f.DeployOutside,8:0}"));
            }
            Console.WriteLine("  (ms; stages from their first action's start to their last's end; user = buildspec phases + hook scripts;");
            Console.WriteLine("   overhead = total − user; gaps = push → first action and between stages; src-git = the source action;");
            Console.WriteLine("   bld-out = the build action outside its phases; dep-out = the deploy action outside its hooks)");
            return warm.Count > 0 ? warm.Max() : 0;
        }
        finally
        {
            foreach (var host in Enumerable.Reverse(hosts))
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed record StageFigures(double Source, double Build, double Deploy, double User, double Overhead, double Gaps, double SourceGit, double BuildOutside, double DeployOutside);

    private static async Task<StageFigures> Figures(HttpClient http, JsonElement run, DateTimeOffset pushedAt, double total, CancellationToken cancellationToken)
    {
        var jobs = run.GetProperty("jobs").EnumerateArray().OrderBy(j => j.GetProperty("stageIndex").GetInt32()).ToList();
        static double Span(JsonElement j) => (j.GetProperty("finishedAt").GetDateTimeOffset() - j.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds;
        var (source, build, deploy) = (jobs[0], jobs[1], jobs[2]);
        var phases = build.GetProperty("phases").EnumerateArray()
            .Sum(p => (p.GetProperty("finishedAt").GetDateTimeOffset() - p.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds);
        var deploymentId = deploy.GetProperty("reason").GetString()!.Split(' ')[1];
        var deployment = JsonDocument.Parse(await http.GetStringAsync($"/api/deployments/{deploymentId}", cancellationToken)).RootElement;
        var hooks = deployment.GetProperty("instances").EnumerateArray()
            .Sum(i => i.GetProperty("events").EnumerateArray().Sum(e => e.GetProperty("hookMilliseconds").GetInt64()));
        var gaps = (source.GetProperty("startedAt").GetDateTimeOffset() - pushedAt).TotalMilliseconds
            + (build.GetProperty("startedAt").GetDateTimeOffset() - source.GetProperty("finishedAt").GetDateTimeOffset()).TotalMilliseconds
            + (deploy.GetProperty("startedAt").GetDateTimeOffset() - build.GetProperty("finishedAt").GetDateTimeOffset()).TotalMilliseconds;
        var user = phases + hooks;
        return new StageFigures(Span(source), Span(build), Span(deploy), user, total - user, gaps, Span(source), Span(build) - phases, Span(deploy) - hooks);
    }

    /// <summary>A bare repository holding examples/seed as its root (a stand-in for the team's repository) and a work tree to push from.</summary>
    private static string SeedRepository(string bare)
    {
        var work = bare + "-work";
        CopyDirectory(SeedDirectory(), work);
        // The agent installs under a root prefix ($BUILDFARM_ROOT), not the machine's own /opt.
        File.WriteAllText(Path.Combine(work, "backend/scripts/start.sh"),
            "#!/bin/bash\n# Starts the backend CodeDeploy installed under /opt/seed.\nexec java -jar \"$BUILDFARM_ROOT/opt/seed/seed-backend-1.0.0.jar\" deploy\n");
        Git(work, "init", "-q", "-b", "main");
        Git(work, "add", "-A");
        Git(work, "-c", "user.email=bench@buildfarm.invalid", "-c", "user.name=bench", "commit", "-q", "-m", "seed");
        Git(Path.GetDirectoryName(bare)!, "clone", "-q", "--bare", work, bare);
        Git(work, "remote", "add", "origin", bare);
        return bare;
    }

    /// <summary>A new commit on main (a change to the backend's greeting), pushed to the bare repository; returns its id.</summary>
    private static string Commit(string bare, int push)
    {
        var work = bare + "-work";
        var java = Path.Combine(work, "backend/src/main/java/seed/Backend.java");
        File.WriteAllText(java, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(java), "\"hello, (push \\d+ )?\"", $"\"hello, push {push} \""));
        Git(work, "-c", "user.email=bench@buildfarm.invalid", "-c", "user.name=bench", "commit", "-q", "-am", $"push {push}");
        Git(work, "push", "-q", "origin", "main");
        return Git(work, "rev-parse", "HEAD").Trim();
    }

    private static string Pipeline(string repository) => $$"""
        version: 1
        stages:
          - name: Source
            actions:
              - name: Source
                category: source
                configuration: { repository: "file://{{repository}}", branch: main }
                outputArtifacts: [SourceArtifact]
          - name: Build
            actions:
              - name: Build
                category: build
                inputArtifacts: [SourceArtifact]
                outputArtifacts: [BuildArtifact]
          - name: Deploy
            actions:
              - name: Deploy
                category: deploy
                inputArtifacts: [BuildArtifact]
                configuration: { application: seed, deploymentGroup: dev }
        """;

    private static async Task<string> PushAsync(HttpClient http, string commit, CancellationToken cancellationToken)
    {
        var body = $$$"""{"ref":"refs/heads/main","before":"0000000","after":"{{{commit}}}","repository":{"default_branch":"main"},"sender":{"id":1}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github/seed") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(body))));
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.StatusCode == System.Net.HttpStatusCode.Accepted
            ? JsonDocument.Parse(text).RootElement.GetProperty("runId").GetString()!
            : throw new InvalidOperationException($"push: {(int)response.StatusCode} {text}");
    }

    private static async Task<JsonElement> FinishAsync(HttpClient http, string runId, CancellationToken cancellationToken)
    {
        // Bounded: 10 minutes at 20 ms (Gradle on a loaded 2-core machine is slow, but not that slow).
        for (var i = 0; i < 30_000; i++)
        {
            var run = JsonDocument.Parse(await http.GetStringAsync($"/api/runs/{runId}", cancellationToken)).RootElement.Clone();
            if (run.GetProperty("status").GetString() is "Succeeded" or "Failed" or "Cancelled" or "Superseded")
            {
                return run;
            }
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"Run {runId} did not finish within 10 minutes.");
    }

    private static async Task WaitForAgentAsync(HttpClient http, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300; i++)
        {
            if (JsonDocument.Parse(await http.GetStringAsync("/api/agents", cancellationToken)).RootElement.EnumerateArray().Any(a => !a.GetProperty("silent").GetBoolean()))
            {
                return;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException("The agent did not register within 30 s.");
    }

    private static async Task<IHost> StartAsync(IHost host, CancellationToken cancellationToken)
    {
        await host.StartAsync(cancellationToken);
        return host;
    }

    private static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit(60_000);
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, File.GetUnixFileMode(file));
            }
        }
    }

    private static string SeedDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "../../examples/seed"));
}
