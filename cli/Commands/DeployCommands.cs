using System.Globalization;
using BuildFarm.Cli.Output;
using BuildFarm.Client;
using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Commands;

/// <summary>
/// `buildfarm deploy …` over the SDK (the coordinator's gRPC URL from --server, BUILDFARM_SERVER or the config
/// file; --token or BUILDFARM_TOKEN): define groups, deploy a revision and follow it instance by instance and
/// event by event, show, stop. Exit 0 when the deployment succeeded, 1 when it failed or stopped, 2 when refused.
/// </summary>
public static class DeployCommands
{
    public const string Usage = """
               buildfarm deploy group APP GROUP [--tag K=V]... [--instance NAME]... [--config C] [--auto-rollback true]
               buildfarm deploy REVISION --application APP --group GROUP [--config C] [--file-exists-behavior B]
                                 [--ignore-stop-failures true]      deploy and follow; exit 1 when it fails
               buildfarm deploy show ID | stop ID [--rollback true]
               (these take --server URL or BUILDFARM_SERVER, --token T or BUILDFARM_TOKEN, and --json for scripts)
        """;

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly string[] Known =
        ["--server", "--token", "--tag", "--instance", "--config", "--auto-rollback", "--application", "--group", "--file-exists-behavior", "--ignore-stop-failures", "--rollback"];

    public static async Task<int> ExecuteAsync(
        CommandLine line, string? environmentServer, string? environmentToken, TextWriter output, TextWriter error, TimeProvider time, CancellationToken cancellationToken)
    {
        if (line.Error is not null)
        {
            return await UsageAsync(error, line.Error);
        }

        if (line.Unknown(Known).FirstOrDefault() is { } unknown)
        {
            return await UsageAsync(error, $"unknown option {unknown}");
        }

        var (context, problem) = Remote.Context(line, environmentServer, environmentToken, output, error, time);
        if (context is null)
        {
            return await UsageAsync(error, problem);
        }

        var p = line.Positionals;
        switch (p.Count >= 2 ? p[1] : null)
        {
            case "group" when p.Count == 4:
                return await Remote.CallAsync(context, async client =>
                {
                    await client.PutApplicationAsync(p[2], cancellationToken);
                    var request = new PutDeploymentGroupRequest
                    {
                        Application = p[2],
                        Name = p[3],
                        DeploymentConfig = line.Option("--config") ?? "",
                        AutoRollback = line.Option("--auto-rollback") == "true",
                    };
                    foreach (var tag in line.Options("--tag").Select(t => t.Split('=', 2)).Where(t => t.Length == 2))
                    {
                        request.TagFilters[tag[0]] = tag[1];
                    }

                    request.InstanceNames.AddRange(line.Options("--instance"));
                    var group = await client.PutDeploymentGroupAsync(request, cancellationToken);
                    if (context.Json)
                    {
                        await Json.WriteAsync(output, group);
                    }
                    else
                    {
                        var tags = string.Join(", ", group.TagFilters.Select(t => $"{t.Key}={t.Value}"));
                        var instances = string.Join(", ", group.InstanceNames);
                        await output.WriteLineAsync($"group {group.Application}/{group.Name}: {group.DeploymentConfig}, tags [{tags}], instances [{instances}]");
                    }

                    return 0;
                });
            case "show" when p.Count == 3:
                return await Remote.CallAsync(context, async client => await PrintAsync(await client.GetDeploymentAsync(p[2], cancellationToken), context));
            case "stop" when p.Count == 3:
                return await Remote.CallAsync(context, async client =>
                    await PrintAsync(await client.StopDeploymentAsync(p[2], line.Option("--rollback") == "true", cancellationToken), context));
            case { } revision when p.Count == 2 && revision != "group" && line.Option("--application") is { } application && line.Option("--group") is { } groupName:
                return await Remote.CallAsync(context, client => DeployAsync(client, line, revision, application, groupName, context, cancellationToken));
            default:
                return await UsageAsync(error, $"unknown command: {string.Join(' ', p)}");
        }
    }

    private static async Task<int> DeployAsync(
        BuildFarmClient client, CommandLine line, string revision, string application, string group, CliContext context, CancellationToken cancellationToken)
    {
        var request = new CreateDeploymentRequest
        {
            Application = application,
            Group = group,
            Revision = revision.StartsWith('.') ? Path.GetFullPath(revision) : revision,
            DeploymentConfig = line.Option("--config") ?? "",
            FileExistsBehavior = line.Option("--file-exists-behavior") ?? "",
        };
        if (line.Option("--ignore-stop-failures") is { } ignore)
        {
            request.IgnoreApplicationStopFailures = ignore == "true";
        }

        var deployment = await client.CreateDeploymentAsync(request, cancellationToken);
        // With --json stdout is the final deployment alone; the id goes to stderr while it runs.
        await (context.Json ? context.Error : context.Output).WriteLineAsync($"deployment {deployment.Id}");
        while (deployment.Status == "InProgress")
        {
            await Task.Delay(PollInterval, cancellationToken);
            deployment = await client.GetDeploymentAsync(deployment.Id, cancellationToken);
        }

        return await PrintAsync(deployment, context);
    }

    private static async Task<int> PrintAsync(Deployment deployment, CliContext context)
    {
        var code = deployment.Status == "Succeeded" ? 0 : 1;
        if (context.Json)
        {
            await Json.WriteAsync(context.Output, deployment);
            return code;
        }

        var output = context.Output;
        await output.WriteLineAsync($"{deployment.Id}  {deployment.Application}/{deployment.Group}  {deployment.DeploymentConfig}  {deployment.Status}"
            + (deployment.IsRollback ? "  (rollback)" : ""));
        if (deployment.Reason.Length > 0)
        {
            await output.WriteLineAsync($"  {deployment.Reason}");
        }

        foreach (var instance in deployment.Instances)
        {
            await output.WriteLineAsync($"  {instance.Instance,-20} {instance.Status}  {instance.Message}");
            foreach (var e in instance.Events)
            {
                var ms = e.StartedAt is not null && e.FinishedAt is not null
                    ? string.Create(CultureInfo.InvariantCulture, $"{(e.FinishedAt.ToDateTimeOffset() - e.StartedAt.ToDateTimeOffset()).TotalMilliseconds,7:0} ms")
                    : "";
                await output.WriteLineAsync($"    {e.Event,-18} {e.Status,-10} {ms}  {e.Message}");
            }
        }

        return code;
    }

    private static async Task<int> UsageAsync(TextWriter error, string? message)
    {
        await error.WriteLineAsync($"buildfarm: {message}");
        await error.WriteLineAsync("usage:");
        await error.WriteLineAsync(Usage);
        return 2;
    }
}
