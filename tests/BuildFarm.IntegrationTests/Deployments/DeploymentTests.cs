extern alias coordinator;

using System.Runtime.Versioning;
using System.Text.Json;
using coordinator::BuildFarm.Coordinator.Deployments;
using coordinator::BuildFarm.Coordinator.Persistence;
using coordinator::BuildFarm.Coordinator.Persistence.Entities;
using Microsoft.Extensions.DependencyInjection;

namespace BuildFarm.IntegrationTests.Deployments;

/// <summary>
/// The example appspec (examples/deploy) deployed by three real agents with separate root prefixes, through the
/// coordinator's admin API, RabbitMQ and gRPC: CodeDeploy's rollout, per-event history, logs and rollback.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DeploymentTests(DeployFarmFixture farm) : IClassFixture<DeployFarmFixture>
{
    private static readonly string[] Lifecycle =
        ["ApplicationStop", "DownloadBundle", "BeforeInstall", "Install", "AfterInstall", "ApplicationStart", "ValidateService"];

    [Fact]
    public async Task Example_deploys_one_at_a_time_then_a_failure_on_instance_2_stops_and_rolls_back_and_all_at_once_needs_one_success()
    {
        var token = new CancellationTokenSource(TimeSpan.FromMinutes(3)).Token;
        await farm.PutAsync("/api/applications/demo/groups/web", new { deploymentConfig = "OneAtATime", autoRollback = true }, token);

        // v1 to all three, one at a time: each answers on its own port.
        var first = await farm.FinishedAsync(Id(await farm.DeployAsync("web", farm.Revision("v1"), null, token)), token);
        Assert.Equal("Succeeded", first.GetProperty("status").GetString());
        var instances = Instances(first);
        Assert.Equal(DeployFarmFixture.Instances, instances.Select(i => i.GetProperty("instance").GetString()));
        foreach (var instance in instances)
        {
            Assert.Equal("Succeeded", instance.GetProperty("status").GetString());
            Assert.Equal(Lifecycle, Events(instance).Select(e => e.GetProperty("event").GetString()));
            Assert.Equal(["Skipped", "Succeeded", "Succeeded", "Succeeded", "Succeeded", "Succeeded", "Succeeded"], Events(instance).Select(e => e.GetProperty("status").GetString()));
            Assert.Equal("ok v1", await AnswerAsync(instance.GetProperty("instance").GetString()!, token));
        }
        for (var i = 1; i < instances.Count; i++)
        {
            // One at a time: an instance is dispatched only after the one before it finished.
            Assert.True(instances[i].GetProperty("dispatchedAt").GetDateTimeOffset() >= instances[i - 1].GetProperty("finishedAt").GetDateTimeOffset());
        }
        var log = await farm.Http.GetStringAsync(instances[0].GetProperty("logUrl").GetString(), token);
        Assert.Contains("BeforeInstall of demo to web", log, StringComparison.Ordinal);
        Assert.Contains("demo-app v1 started on 127.0.0.1:", log, StringComparison.Ordinal);
        Assert.Equal("nobody", Owner(Path.Combine(farm.RootOf("host1"), "opt/demo-app/lib/version.txt")));

        // v2, refused by host2's ValidateService: host1 gets it, host2 fails, host3 is never touched, v1 comes back.
        await File.WriteAllTextAsync(Path.Combine(farm.RootOf("host2"), "etc/demo-app/refuse-version"), "v2", token);
        var second = await farm.FinishedAsync(Id(await farm.DeployAsync("web", farm.Revision("v2"), null, token)), token);
        Assert.Equal("Failed", second.GetProperty("status").GetString());
        var secondInstances = Instances(second);
        Assert.Equal(["Succeeded", "Failed", "Skipped"], secondInstances.Select(i => i.GetProperty("status").GetString()));
        var failedEvent = Events(secondInstances[1]).Single(e => e.GetProperty("status").GetString() == "Failed");
        Assert.Equal("ValidateService", failedEvent.GetProperty("event").GetString());
        Assert.Equal("Succeeded", Events(secondInstances[0])[0].GetProperty("status").GetString());
        var stopLog = await farm.Http.GetStringAsync(secondInstances[0].GetProperty("logUrl").GetString(), token);
        Assert.Contains("stopping demo-app", stopLog, StringComparison.Ordinal);
        Assert.Contains("this server refuses version v2", await farm.Http.GetStringAsync(secondInstances[1].GetProperty("logUrl").GetString(), token), StringComparison.Ordinal);

        var rollbackId = second.GetProperty("rolledBackBy").GetGuid().ToString();
        var rollback = await farm.FinishedAsync(rollbackId, token);
        Assert.Equal(("Succeeded", true, Id(second)), (rollback.GetProperty("status").GetString(), rollback.GetProperty("isRollback").GetBoolean(), rollback.GetProperty("rollbackOf").GetGuid().ToString()));
        Assert.EndsWith("v1.zip", rollback.GetProperty("revision").GetString(), StringComparison.Ordinal);
        foreach (var instance in DeployFarmFixture.Instances)
        {
            Assert.Equal("ok v1", await AnswerAsync(instance, token));
        }

        // v3 AllAtOnce, still refused by host2: all three start together and the two successes carry it.
        await File.WriteAllTextAsync(Path.Combine(farm.RootOf("host2"), "etc/demo-app/refuse-version"), "v3", token);
        var third = await farm.FinishedAsync(Id(await farm.DeployAsync("web", farm.Revision("v3"), new { deploymentConfig = "AllAtOnce" }, token)), token);
        Assert.Equal(("Succeeded", "AllAtOnce"), (third.GetProperty("status").GetString(), third.GetProperty("deploymentConfig").GetString()));
        var thirdInstances = Instances(third);
        Assert.Equal(["Succeeded", "Failed", "Succeeded"], thirdInstances.Select(i => i.GetProperty("status").GetString()));
        var firstFinished = thirdInstances.Min(i => i.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.All(thirdInstances, i => Assert.True(i.GetProperty("dispatchedAt").GetDateTimeOffset() <= firstFinished));
        Assert.Equal("ok v3", await AnswerAsync("host3", token));
    }

    [Fact]
    public async Task A_group_whose_agent_never_registered_fails_at_once_naming_it()
    {
        var token = new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;
        await farm.PutAsync("/api/applications/demo/groups/with-ghost", new { instanceNames = new[] { "host1", "ghost-7" } }, token);

        var deployment = await farm.DeployAsync("with-ghost", farm.Revision("ghost"), null, token);

        Assert.Equal("Failed", deployment.GetProperty("status").GetString());
        Assert.Contains("ghost-7 (no agent ever registered)", deployment.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.All(Instances(deployment), i => Assert.Equal("Skipped", i.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task The_sdk_applies_a_group_deploys_and_reads_the_deployment_over_grpc_as_the_http_api_shows_it()
    {
        var token = new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;
        using var client = new BuildFarm.Client.BuildFarmClient(farm.GrpcUrl, farm.AdminToken);
        await client.PutApplicationAsync("demo", token);
        var group = new BuildFarm.Protos.V1.PutDeploymentGroupRequest { Application = "demo", Name = "sdk-ghost", DeploymentConfig = "AllAtOnce" };
        group.InstanceNames.Add(["host1", "ghost-sdk"]);
        var stored = await client.PutDeploymentGroupAsync(group, token);
        Assert.Equal(["ghost-sdk", "host1"], stored.InstanceNames.Order());

        var created = await client.CreateDeploymentAsync(
            new BuildFarm.Protos.V1.CreateDeploymentRequest { Application = "demo", Group = "sdk-ghost", Revision = farm.Revision("sdk") }, token);

        Assert.Equal("Failed", created.Status);
        Assert.Contains("ghost-sdk (no agent ever registered)", created.Reason, StringComparison.Ordinal);
        var overHttp = await farm.GetAsync($"/api/deployments/{created.Id}", token);
        var overGrpc = await client.GetDeploymentAsync(created.Id, token);
        Assert.Equal(overHttp.GetProperty("reason").GetString(), overGrpc.Reason);
        Assert.Equal(Instances(overHttp).Select(i => (i.GetProperty("instance").GetString()!, i.GetProperty("status").GetString()!)), overGrpc.Instances.Select(i => (i.Instance, i.Status)));
        Assert.Contains(await client.ListDeploymentsAsync("demo", "sdk-ghost", cancellationToken: token), d => d.Id == created.Id);
        var missing = await Assert.ThrowsAsync<BuildFarm.Client.BuildFarmException>(() => client.GetDeploymentAsync(Guid.NewGuid().ToString(), token));
        Assert.Equal(Grpc.Core.StatusCode.NotFound, missing.Status);
    }

    [Fact]
    public async Task An_unknown_group_or_config_is_a_problem_details_error()
    {
        var token = new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;

        using var missing = await farm.Http.PostAsync("/api/deployments", JsonContent("""{"application":"demo","group":"nope","revision":"/x.zip"}"""), token);
        using var badConfig = await farm.Http.PutAsync("/api/applications/demo/groups/bad", JsonContent("""{"deploymentConfig":"TwoAtATime"}"""), token);

        Assert.Equal(404, (int)missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(400, (int)badConfig.StatusCode);
        Assert.Contains("OneAtATime", await badConfig.Content.ReadAsStringAsync(token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_a_deployment_kills_the_running_hook_and_skips_the_rest()
    {
        var token = new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;
        await farm.PutAsync("/api/applications/demo/groups/stoppable", new { instanceNames = new[] { "host3" } }, token);
        var revision = farm.Revision("slow", "version: 0.0\nos: linux\nhooks:\n  BeforeInstall:\n    - location: scripts/slow.sh\n",
            ("scripts/slow.sh", "#!/bin/bash\necho waiting\nsleep 60\n"));
        var id = Id(await farm.DeployAsync("stoppable", revision, null, token));
        while (!Events(Instances(await farm.GetAsync($"/api/deployments/{id}", token))[0]).Any(e => e.GetProperty("event").GetString() == "BeforeInstall"))
        {
            await Task.Delay(100, token);
        }

        using var stop = await farm.Http.PostAsync($"/api/deployments/{id}/stop", null, token);
        stop.EnsureSuccessStatusCode();
        JsonElement instance;
        do
        {
            await Task.Delay(100, token);
            instance = Instances(await farm.GetAsync($"/api/deployments/{id}", token))[0];
        }
        while (instance.GetProperty("status").GetString() == "InProgress");

        var deployment = await farm.GetAsync($"/api/deployments/{id}", token);
        Assert.Equal(("Stopped", "Failed"), (deployment.GetProperty("status").GetString(), instance.GetProperty("status").GetString()));
        var events = Events(instance).ToDictionary(e => e.GetProperty("event").GetString()!, e => e.GetProperty("status").GetString());
        Assert.Equal(("Failed", "Skipped"), (events["BeforeInstall"], events["ValidateService"]));
        using var conflict = await farm.Http.PostAsync($"/api/deployments/{id}/stop", null, token);
        Assert.Equal(409, (int)conflict.StatusCode);
    }

    [Fact]
    public async Task Completions_arriving_at_once_end_an_all_at_once_deployment_exactly_once()
    {
        // Without the group's row lock, the last two completions each see the other still running and neither
        // ends the deployment. Scopes of one coordinator race here exactly as two coordinators would: the lock is
        // the database's, nothing in the process serialises them.
        var token = new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token;
        var names = Enumerable.Range(0, 8).Select(i => $"race-{i}").ToArray();
        await using (var scope = farm.CoordinatorServices.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BuildFarmDbContext>();
            var now = DateTimeOffset.UtcNow;
            db.DeployAgents.AddRange(names.Select(n => new DeployAgent
            {
                InstanceName = n, Os = "linux", RegisteredAt = now, LastHeartbeatAt = now.AddMinutes(5),
            }));
            await db.SaveChangesAsync(token);
        }
        await farm.PutAsync("/api/applications/demo/groups/race", new { instanceNames = names, deploymentConfig = "AllAtOnce" }, token);

        for (var round = 0; round < 5; round++)
        {
            var deployment = await farm.DeployAsync("race", $"/revisions/race-{round}.zip", null, token);
            Assert.Equal("InProgress", deployment.GetProperty("status").GetString());
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var completions = Instances(deployment).Select(async instance =>
            {
                await using var scope = farm.CoordinatorServices.CreateAsyncScope();
                var service = scope.ServiceProvider.GetRequiredService<DeploymentService>();
                await start.Task;
                // One failure among eight: AllAtOnce still succeeds (at least one healthy host).
                var fails = instance.GetProperty("instance").GetString() == "race-3";
                await service.CompleteInstanceAsync(instance.GetProperty("id").GetGuid(), !fails, fails ? "refused" : null, token);
            }).ToList();
            start.SetResult();
            await Task.WhenAll(completions);

            var ended = await farm.GetAsync($"/api/deployments/{Id(deployment)}", token);
            Assert.Equal("Succeeded", ended.GetProperty("status").GetString());
            Assert.Equal(7, Instances(ended).Count(i => i.GetProperty("status").GetString() == "Succeeded"));
            var group = await farm.GetAsync("/api/applications/demo/groups/race", token);
            Assert.Equal($"/revisions/race-{round}.zip", group.GetProperty("lastSuccessfulRevision").GetString());
        }
    }

    [Fact]
    public async Task Agent_status_says_the_agent_is_connected_and_to_which_coordinator()
    {
        using var output = new StringWriter();

        var exit = await BuildFarm.Cli.Commands.AgentCommands.StatusAsync(
            BuildFarm.Cli.Commands.CommandLine.Parse(["agent", "status", "--root", farm.RootOf("host2")]), output, TimeProvider.System, CancellationToken.None);

        Assert.True(exit == 0, output.ToString());
        Assert.Contains("instance      host2", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"coordinator   {farm.GrpcUrl}", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("connected     yes", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_status_without_an_agent_says_why_not()
    {
        using var output = new StringWriter();

        var exit = await BuildFarm.Cli.Commands.AgentCommands.StatusAsync(
            BuildFarm.Cli.Commands.CommandLine.Parse(["agent", "status", "--root", Path.Combine(farm.Root, "no-such-host")]), output, TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.Contains("not connected: no agent has run", output.ToString(), StringComparison.Ordinal);
    }

    private static string Id(JsonElement deployment) => deployment.GetProperty("id").GetString()!;

    private static List<JsonElement> Instances(JsonElement deployment) => [.. deployment.GetProperty("instances").EnumerateArray()];

    private static List<JsonElement> Events(JsonElement instance) => [.. instance.GetProperty("events").EnumerateArray()];

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private async Task<string> AnswerAsync(string instance, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return (await http.GetStringAsync($"http://127.0.0.1:{farm.Ports[instance]}/health", cancellationToken)).Trim();
    }

    private static string Owner(string path)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%U", path]) { RedirectStandardOutput = true })!;
        var owner = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return owner;
    }
}
