using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;

namespace BuildFarm.EndToEndTests.Chaos;

/// <summary>
/// Deploy agents as real processes (the worker binary in the Agent role, each with its own root prefix, so
/// several "servers" share this machine) deploying examples/deploy: its hook scripts start a real HTTP service
/// with nohup on each server's port and ValidateService polls it. Agents are killed by PID mid-hook.
/// </summary>
[Collection(ChaosCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class DeployAgentChaosTests(ChaosFixture fixture)
{
    private static readonly TimeSpan DeploymentTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Four_agent_processes_deploy_half_at_a_time_and_an_agent_killed_mid_hook_reports_the_event_failed_after_restart()
    {
        using var scenario = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        var ct = scenario.Token;
        await using var farm = await Farm.CreateAsync(fixture, "deploy-half", ChaosSettings.LeaseSeconds, ct);
        var servers = new[] { "host1", "host2", "host3", "host4" }.ToDictionary(h => h, h => Server.Create(farm, h));
        var agents = servers.ToDictionary(s => s.Key, s => farm.StartAgent(s.Key, "web", s.Value.Root));
        try
        {
            await farm.StartCoordinatorAsync(ct);
            await farm.Client.PutJsonAsync("api/applications/demo", new { }, ct);
            await farm.Client.PutJsonAsync("api/applications/demo/groups/web", new { deploymentConfig = "HalfAtATime", autoRollback = true }, ct);
            await WaitForLiveAgentsAsync(farm, servers.Count, ct);

            // v1 to all four: half (two) at a time, each server then answers on its own port.
            var first = await DeployAsync(farm, ExampleRevision.Create(farm.Directory, "v1"), null, ct);
            Assert.True(Status(first) == "Succeeded", Describe(first, farm));
            Assert.All(Instances(first), i => Assert.Equal("Succeeded", Status(i)));
            foreach (var server in servers.Values)
            {
                Assert.Equal("ok v1", await server.AnswerAsync(ct));
            }

            // v2, refused by host2: the first pair goes together, host2's failure holds the rollout to one at a time
            // and three healthy of four still carry it (HalfAtATime needs two).
            await File.WriteAllTextAsync(Path.Combine(servers["host2"].Root, "etc/demo-app/refuse-version"), "v2", ct);
            var second = await DeployAsync(farm, ExampleRevision.Create(farm.Directory, "v2"), null, ct);
            var secondInstances = Instances(second);
            Assert.True(Status(second) == "Succeeded", Describe(second, farm));
            Assert.Equal(["Succeeded", "Failed", "Succeeded", "Succeeded"], secondInstances.Select(Status));
            Assert.True(At(secondInstances[1], "dispatchedAt") < At(secondInstances[0], "finishedAt"), Describe(second, farm));
            Assert.True(MostAtOnce(secondInstances) <= 2, Describe(second, farm));
            File.Delete(Path.Combine(servers["host2"].Root, "etc/demo-app/refuse-version"));

            // v3 hangs in host1's BeforeInstall; the agent dies (SIGKILL, its hook with it) and comes back.
            var third = await farm.Client.CreateJsonAsync("api/deployments", new
            {
                application = "demo", group = "web", revision = ExampleRevision.Create(farm.Directory, "v3", ExampleRevision.WithHangingBeforeInstall),
                deploymentConfig = "OneAtATime",
            }, ct);
            var thirdId = Id(third);
            await WaitForDeploymentAsync(farm, thirdId, d => Event(Instances(d)[0], "BeforeInstall") is { } e && Status(e) == "InProgress", ct);
            await agents["host1"].KillAsync();
            agents["host1"] = farm.StartAgent("host1", "web", servers["host1"].Root);

            third = await WaitForDeploymentAsync(farm, thirdId, d => Status(d) != "InProgress", ct);
            var thirdInstances = Instances(third);
            var interrupted = Event(thirdInstances[0], "BeforeInstall")!.Value;
            Assert.True(Status(third) == "Failed", Describe(third, farm));
            Assert.Equal(["Failed", "Skipped", "Skipped", "Skipped"], thirdInstances.Select(Status));
            Assert.Equal("Failed", Status(interrupted));
            Assert.Contains("restarted during BeforeInstall", interrupted.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains("waiting", await farm.Client.GetTextAsync(thirdInstances[0].GetProperty("logUrl").GetString()!, ct), StringComparison.Ordinal);

            // The rollback redeploys v2, the last successful revision, and every server serves it again.
            var rollback = await WaitForDeploymentAsync(farm, third.GetProperty("rolledBackBy").GetGuid().ToString(), d => Status(d) != "InProgress", ct);
            Assert.True(Status(rollback) == "Succeeded" && rollback.GetProperty("isRollback").GetBoolean(), Describe(rollback, farm));
            foreach (var server in servers.Values)
            {
                Assert.Equal("ok v2", await server.AnswerAsync(ct));
            }
        }
        finally
        {
            foreach (var server in servers.Values)
            {
                server.StopService();
            }
        }
    }

    [Fact]
    public async Task An_agent_that_dies_mid_deployment_fails_its_instance_by_silence_and_the_next_deployment_at_once_naming_it()
    {
        using var scenario = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = scenario.Token;
        await using var farm = await Farm.CreateAsync(fixture, "deploy-silent", ChaosSettings.LeaseSeconds, ct);
        var server = Server.Create(farm, "lonely");
        var agent = farm.StartAgent("lonely", "solo", server.Root);
        await farm.StartCoordinatorAsync(ct);
        await farm.Client.PutJsonAsync("api/applications/demo", new { }, ct);
        await farm.Client.PutJsonAsync("api/applications/demo/groups/solo", new { instanceNames = new[] { "lonely" } }, ct);
        await WaitForLiveAgentsAsync(farm, 1, ct);

        var hanging = await farm.Client.CreateJsonAsync("api/deployments", new
        {
            application = "demo", group = "solo", revision = ExampleRevision.Create(farm.Directory, "v1", ExampleRevision.WithHangingBeforeInstall),
        }, ct);
        await WaitForDeploymentAsync(farm, Id(hanging), d => Event(Instances(d)[0], "BeforeInstall") is { } e && Status(e) == "InProgress", ct);
        await agent.KillAsync();

        // Nobody restarts it: the coordinator's sweeper fails the instance once the agent has been silent too long.
        var lost = await WaitForDeploymentAsync(farm, Id(hanging), d => Status(d) != "InProgress", ct);
        Assert.True(Status(lost) == "Failed", Describe(lost, farm));
        Assert.Contains("The agent on lonely went silent during the deployment (last heartbeat ",
            Instances(lost)[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        // A new deployment to the group fails at once, naming the silent instance and its last heartbeat.
        var refused = await farm.Client.CreateJsonAsync("api/deployments", new { application = "demo", group = "solo", revision = ExampleRevision.Create(farm.Directory, "v2") }, ct);
        Assert.True(Status(refused) == "Failed", Describe(refused, farm));
        Assert.Contains("lonely (last heartbeat ", refused.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> DeployAsync(Farm farm, string revision, string? config, CancellationToken cancellationToken)
    {
        var created = await farm.Client.CreateJsonAsync("api/deployments", new { application = "demo", group = "web", revision, deploymentConfig = config }, cancellationToken);
        return await WaitForDeploymentAsync(farm, Id(created), d => Status(d) != "InProgress", cancellationToken);
    }

    private static async Task<JsonElement> WaitForDeploymentAsync(Farm farm, string id, Func<JsonElement, bool> done, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DeploymentTimeout);
        JsonElement? last = null;
        try
        {
            while (true)
            {
                last = await farm.Client.GetJsonAsync($"api/deployments/{id}", timeout.Token);
                if (done(last.Value))
                {
                    return last.Value;
                }

                await Task.Delay(ChaosSettings.PollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Deployment {id} did not get there within {DeploymentTimeout}; last seen: {last}\n{farm.Describe()}");
        }
    }

    private static async Task WaitForLiveAgentsAsync(Farm farm, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ChaosSettings.JobStartTimeout);
        try
        {
            while ((await farm.Client.GetJsonAsync("api/agents", timeout.Token)).EnumerateArray().Count(a => !a.GetProperty("silent").GetBoolean()) < count)
            {
                await Task.Delay(ChaosSettings.PollInterval, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{count} agent(s) did not register within {ChaosSettings.JobStartTimeout}.\n{farm.Describe()}");
        }
    }

    /// <summary>The most instances whose [dispatched, finished] spans overlap at one moment.</summary>
    private static int MostAtOnce(List<JsonElement> instances) =>
        instances.Max(i => instances.Count(o => At(o, "dispatchedAt") <= At(i, "dispatchedAt") && At(i, "dispatchedAt") < At(o, "finishedAt")));

    private static string Id(JsonElement deployment) => deployment.GetProperty("id").GetString()!;

    private static string Status(JsonElement element) => element.GetProperty("status").GetString()!;

    private static DateTimeOffset At(JsonElement element, string property) => element.GetProperty(property).GetDateTimeOffset();

    private static List<JsonElement> Instances(JsonElement deployment) => [.. deployment.GetProperty("instances").EnumerateArray()];

    private static JsonElement? Event(JsonElement instance, string name) =>
        instance.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("event").GetString() == name).Cast<JsonElement?>().FirstOrDefault();

    private static string Describe(JsonElement deployment, Farm farm) => $"{deployment}\n{farm.Describe()}";

    /// <summary>One "server": its root prefix, with the loopback port its example service listens on (etc/demo-app/port).</summary>
    private sealed record Server(string Root, int Port)
    {
        public static Server Create(Farm farm, string name)
        {
            var root = Directory.CreateDirectory(Path.Combine(farm.Directory, name)).FullName;
            var port = Farm.FreePort();
            Directory.CreateDirectory(Path.Combine(root, "etc/demo-app"));
            File.WriteAllText(Path.Combine(root, "etc/demo-app/port"), port.ToString(CultureInfo.InvariantCulture));
            return new Server(root, port);
        }

        public async Task<string> AnswerAsync(CancellationToken cancellationToken)
        {
            using var http = new HttpClient { Timeout = ChaosSettings.CallTimeout };
            return (await http.GetStringAsync(new Uri($"http://127.0.0.1:{Port}/health"), cancellationToken)).Trim();
        }

        /// <summary>Kills the service deploy.sh started, by the PID it recorded under this server's root.</summary>
        public void StopService()
        {
            var pidFile = Path.Combine(Root, "var/run/demo-app.pid");
            if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var process = System.Diagnostics.Process.GetProcessById(pid);
                    process.Kill();
                }
                catch (ArgumentException)
                {
                    // Already gone: ApplicationStop of a later deployment stopped it.
                }
            }
        }
    }
}
