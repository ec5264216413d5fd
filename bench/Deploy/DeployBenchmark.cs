using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime;
using System.Text.Json;
using BuildFarm.Bench.Farms;
using BuildFarm.Cli.Embedded;
using Microsoft.Extensions.Hosting;

namespace BuildFarm.Bench.Deploy;

/// <summary>
/// A 50 MB revision to three deploy agents (separate root prefixes, one machine) AllAtOnce, then OneAtATime, on
/// real PostgreSQL and RabbitMQ. Prints every event's time per instance, each instance's total, the time inside
/// hook scripts, and the farm's own overhead (total minus hook time): the target is ≤ 1 s per instance. Also the
/// farm's CPU and the methods the runtime JIT-compiled during each deployment, which tell a cold start from overhead.
/// </summary>
public static class DeployBenchmark
{
    private const int RevisionMegabytes = 50;
    private static readonly string[] Instances = ["bench-host1", "bench-host2", "bench-host3"];

    public static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var postgres = Environment.GetEnvironmentVariable("BUILDFARM_TEST_POSTGRES")
            ?? throw new InvalidOperationException("BUILDFARM_TEST_POSTGRES is not set: run `scripts/bench.sh deploy`, which starts PostgreSQL and RabbitMQ.");
        var rabbit = Environment.GetEnvironmentVariable("BUILDFARM_TEST_RABBITMQ")
            ?? throw new InvalidOperationException("BUILDFARM_TEST_RABBITMQ is not set: run `scripts/bench.sh deploy`.");
        var directory = Directory.CreateTempSubdirectory("bf-bench-deploy-").FullName;
        var hosts = new List<IHost>();
        try
        {
            var database = $"bench_{Guid.NewGuid():N}";
            await BenchFarm.CreateDatabaseAsync(postgres, database, cancellationToken);
            var grpc = $"http://127.0.0.1:{FarmHosts.FreePort()}";
            var httpUrl = $"http://127.0.0.1:{FarmHosts.FreePort()}";
            var shared = new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = BenchFarm.ReplaceDatabase(postgres, database),
                ["Messaging:Transport"] = "RabbitMq",
                ["Messaging:RabbitMqUri"] = rabbit,
                ["Coordinator:HttpUrl"] = httpUrl,
                ["Coordinator:GrpcUrl"] = grpc,
                ["Worker:CoordinatorUrl"] = grpc,
                ["Worker:Token"] = BenchFarm.Token,
                ["Auth:BootstrapToken"] = BenchFarm.Token,
                ["Deployments:AgentHeartbeatSeconds"] = "1",
                ["Logging:LogLevel:Default"] = "Warning",
                ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "None",
            };
            var coordinator = FarmHosts.BuildCoordinator(shared);
            await coordinator.StartAsync(cancellationToken);
            hosts.Add(coordinator);
            foreach (var instance in Instances)
            {
                var agent = FarmHosts.BuildWorker(new Dictionary<string, string?>(shared)
                {
                    ["Worker:Role"] = "Agent",
                    // A fresh name per sitting: each agent's queue is durable and named after it.
                    ["Agent:InstanceName"] = $"{instance}-{database[^6..]}",
                    ["Agent:Group"] = "bench",
                    ["Agent:Root"] = Path.Combine(directory, instance),
                });
                await agent.StartAsync(cancellationToken);
                hosts.Add(agent);
            }

            using var http = new HttpClient { BaseAddress = new Uri(httpUrl), Timeout = TimeSpan.FromMinutes(2) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BenchFarm.Token);
            (await http.PutAsJsonAsync("/api/applications/bench", new { }, cancellationToken)).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync("/api/applications/bench/groups/bench", new { deploymentConfig = "AllAtOnce" }, cancellationToken)).EnsureSuccessStatusCode();
            await WaitForAgentsAsync(http, cancellationToken);
            var revision = CreateRevision(directory);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"revision: {new FileInfo(revision).Length / 1e6:0.0} MB zip ({RevisionMegabytes} MB of incompressible jars, 5 hooks of `exit 0`), {Instances.Length} agents on one 2-core machine"));

            // The first deployment after the processes start also pays the runtime's one-time warm-up (JIT of every
            // method on the path, EF's first compilation of each query): printed apart, with the JIT it triggered.
            var (worstFirst, worstWarm) = (0.0, 0.0);
            var first = true;
            foreach (var config in new[] { "AllAtOnce", "OneAtATime", "AllAtOnce" })
            {
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var (jitBefore, methodsBefore) = (JitInfo.GetCompilationTime(), JitInfo.GetCompiledMethodCount());
                var created = await PostAsync(http, new { application = "bench", group = "bench", revision, deploymentConfig = config }, cancellationToken);
                var deployment = await FinishAsync(http, created.GetProperty("id").GetString()!, cancellationToken);
                var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                var (jit, methods) = (JitInfo.GetCompilationTime() - jitBefore, JitInfo.GetCompiledMethodCount() - methodsBefore);
                var overhead = Print(first ? $"{config}, the first after start" : config, deployment);
                (worstFirst, worstWarm) = first ? (Math.Max(worstFirst, overhead), worstWarm) : (worstFirst, Math.Max(worstWarm, overhead));
                // The coordinator and the agents share this process, so its CPU time is the farm's work whatever the machine's load.
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  CPU of the farm (coordinator + 3 agents) during the deployment: {cpu.TotalMilliseconds:0} ms; methods JIT-compiled: {methods} ({jit.TotalMilliseconds:0} ms in the JIT, all threads)"));
                first = false;
            }
            var load = (await File.ReadAllTextAsync("/proc/loadavg", cancellationToken)).Split(' ')[0];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"\nworst farm overhead per instance: {worstWarm:0} ms (target ≤ 1000 ms); first deployment after start: {worstFirst:0} ms; load average now {load} on {Environment.ProcessorCount} cores"));
            return 0;
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

    /// <summary>Prints one deployment; returns its worst per-instance overhead in ms.</summary>
    private static double Print(string config, JsonElement deployment)
    {
        var total = (deployment.GetProperty("finishedAt").GetDateTimeOffset() - deployment.GetProperty("createdAt").GetDateTimeOffset()).TotalMilliseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"\n{config}: {deployment.GetProperty("status").GetString()} in {total:0} ms (request → last instance done)"));
        Console.WriteLine($"  {"instance",-22} {string.Join(' ', EventNames.Select(e => e.Short.PadLeft(7)))} {"total",8} {"in hooks",9} {"overhead",9} {"between",8}   between = to claim + claim to 1st event + gaps + last event to done");
        var worst = 0.0;
        foreach (var instance in deployment.GetProperty("instances").EnumerateArray())
        {
            var events = instance.GetProperty("events").EnumerateArray().ToDictionary(e => e.GetProperty("event").GetString()!);
            var cells = EventNames.Select(e => events.TryGetValue(e.Name, out var ev) && ev.GetProperty("finishedAt").ValueKind == JsonValueKind.String
                ? (ev.GetProperty("finishedAt").GetDateTimeOffset() - ev.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture).PadLeft(7)
                : "-".PadLeft(7));
            // From the moment the coordinator sent the instance its deployment to the moment it recorded the result.
            var instanceTotal = (instance.GetProperty("finishedAt").GetDateTimeOffset() - instance.GetProperty("dispatchedAt").GetDateTimeOffset()).TotalMilliseconds;
            var hooks = events.Values.Sum(e => e.GetProperty("hookMilliseconds").GetInt64());
            // Dispatch, claim, log stream and result reporting: the part of the total outside every event.
            var inEvents = events.Values.Where(e => e.GetProperty("finishedAt").ValueKind == JsonValueKind.String)
                .Sum(e => (e.GetProperty("finishedAt").GetDateTimeOffset() - e.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds);
            var overhead = instanceTotal - hooks;
            worst = Math.Max(worst, overhead);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {instance.GetProperty("instance").GetString(),-22} {string.Join(' ', cells)} {instanceTotal,8:0} {hooks,9:0} {overhead,9:0} {instanceTotal - inEvents,8:0} = {Between(instance, events.Values)}"));
        }
        return worst;
    }

    /// <summary>Where the time outside the events went: dispatch → the agent's claim → its first event, the gaps between events, the last event → the recorded result.</summary>
    private static string Between(JsonElement instance, IEnumerable<JsonElement> events)
    {
        var spans = events.Where(e => e.GetProperty("finishedAt").ValueKind == JsonValueKind.String)
            .Select(e => (Start: e.GetProperty("startedAt").GetDateTimeOffset(), End: e.GetProperty("finishedAt").GetDateTimeOffset()))
            .OrderBy(e => e.Start).ToList();
        if (spans.Count == 0 || instance.GetProperty("startedAt").ValueKind != JsonValueKind.String)
        {
            return "-";
        }
        var dispatched = instance.GetProperty("dispatchedAt").GetDateTimeOffset();
        var claimed = instance.GetProperty("startedAt").GetDateTimeOffset();
        var finished = instance.GetProperty("finishedAt").GetDateTimeOffset();
        var gaps = spans.Zip(spans.Skip(1), (a, b) => (b.Start - a.End).TotalMilliseconds).Sum();
        return string.Create(CultureInfo.InvariantCulture,
            $"{(claimed - dispatched).TotalMilliseconds:0} + {(spans[0].Start - claimed).TotalMilliseconds:0} + {gaps:0} + {(finished - spans[^1].End).TotalMilliseconds:0}");
    }

    private static readonly (string Name, string Short)[] EventNames =
    [
        ("ApplicationStop", "Stop"), ("DownloadBundle", "Download"), ("BeforeInstall", "BefInst"), ("Install", "Install"),
        ("AfterInstall", "AftInst"), ("ApplicationStart", "Start"), ("ValidateService", "Validate"),
    ];

    private static string CreateRevision(string directory)
    {
        var source = Path.Combine(directory, "revision");
        Directory.CreateDirectory(Path.Combine(source, "build/libs"));
        Directory.CreateDirectory(Path.Combine(source, "scripts"));
        var random = new Random(42);
        var buffer = new byte[1024 * 1024];
        for (var file = 0; file < 5; file++)
        {
            using var jar = File.Create(Path.Combine(source, $"build/libs/part-{file}.jar"));
            for (var mb = 0; mb < RevisionMegabytes / 5; mb++)
            {
                random.NextBytes(buffer);
                jar.Write(buffer);
            }
        }
        var hook = Path.Combine(source, "scripts/hook.sh");
        File.WriteAllText(hook, "#!/bin/bash\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(hook, (UnixFileMode)Convert.ToInt32("755", 8));
        }
        File.WriteAllText(Path.Combine(source, "appspec.yml"), """
            version: 0.0
            os: linux
            files:
              - source: /build/libs
                destination: /opt/bench-app/lib
            file_exists_behavior: OVERWRITE
            permissions:
              - object: /opt/bench-app/lib
                mode: 644
                type: [file]
            hooks:
              ApplicationStop: [{location: scripts/hook.sh}]
              BeforeInstall: [{location: scripts/hook.sh}]
              AfterInstall: [{location: scripts/hook.sh}]
              ApplicationStart: [{location: scripts/hook.sh}]
              ValidateService: [{location: scripts/hook.sh}]
            """);
        var zip = Path.Combine(directory, "revision.zip");
        ZipFile.CreateFromDirectory(source, zip, CompressionLevel.Fastest, includeBaseDirectory: false);
        return zip;
    }

    private static async Task WaitForAgentsAsync(HttpClient http, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300; i++)
        {
            var agents = JsonDocument.Parse(await http.GetStringAsync("/api/agents", cancellationToken)).RootElement;
            if (agents.EnumerateArray().Count(a => !a.GetProperty("silent").GetBoolean()) >= Instances.Length)
            {
                return;
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException("The agents did not register within 30 s.");
    }

    private static async Task<JsonElement> PostAsync(HttpClient http, object body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/deployments", body, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text).RootElement.Clone() : throw new InvalidOperationException(text);
    }

    private static async Task<JsonElement> FinishAsync(HttpClient http, string id, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 6000; i++)
        {
            var deployment = JsonDocument.Parse(await http.GetStringAsync($"/api/deployments/{id}", cancellationToken)).RootElement.Clone();
            if (deployment.GetProperty("status").GetString() != "InProgress")
            {
                return deployment;
            }
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"Deployment {id} did not finish within 2 minutes.");
    }
}
