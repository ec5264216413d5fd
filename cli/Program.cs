using BuildFarm.Cli.Commands;
using BuildFarm.Cli.Config;

using var interrupt = new CancellationTokenSource();
var dataDirectory = Environment.GetEnvironmentVariable("BUILDFARM_HOME")
    ?? Path.Combine(Environment.CurrentDirectory, ".buildfarm", "embedded");
var configPath = CliConfig.DefaultPath(Environment.GetEnvironmentVariable);
if (args.FirstOrDefault() == "config")
{
    return await ConfigCommand.ExecuteAsync(args, configPath, Console.Out, Console.Error);
}

CliConfig config;
try
{
    config = CliConfig.Load(configPath);
}
catch (InvalidDataException ex)
{
    await Console.Error.WriteLineAsync($"buildfarm: {ex.Message}");
    return 2;
}

// A flag wins over these (each command reads its own flags), the environment over the config file.
var environmentServer = CliConfig.Resolve(Environment.GetEnvironmentVariable("BUILDFARM_SERVER"), config.Server);
var environmentToken = CliConfig.Resolve(Environment.GetEnvironmentVariable("BUILDFARM_TOKEN"), config.Token);
string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

if (ServerCommands.Handles(args))
{
    return await ServerCommands.ExecuteAsync(args, environmentServer, Console.Out, Console.Error, TimeProvider.System, interrupt.Token, environmentToken);
}

if (args.FirstOrDefault() == "agent" && args.ElementAtOrDefault(1) == "status")
{
    return await AgentCommands.StatusAsync(CommandLine.Parse(args), Console.Out, TimeProvider.System, interrupt.Token);
}

if (args.FirstOrDefault() == "agent" && args.ElementAtOrDefault(1) == "install")
{
    return await AgentInstallCommand.RunAsync(CommandLine.Parse(args), SystemdHost.Machine, Console.Out, Console.Error, interrupt.Token);
}

if (args.FirstOrDefault() == "deploy")
{
    return await DeployCommands.ExecuteAsync(CommandLine.Parse(args), environmentServer, environmentToken, Console.Out, Console.Error, TimeProvider.System, interrupt.Token);
}

var server = Option("--server") ?? environmentServer;
switch (args.FirstOrDefault())
{
    case "demo":
        return await DemoCommand.ExecuteAsync(dataDirectory, interrupt.Token, keep: args.Contains("--keep"));
    case "run" when args.Length >= 2:
        return await RunCommand.ExecuteAsync(args[1], server is null ? null : new Uri(server), Option("--pipeline"), dataDirectory, interrupt.Token, keep: args.Contains("--keep"));
    case "cache":
        // Through the coordinator when a server is set; else (and for evict) the store the workers use, from the same Cache__* settings.
        var settings = Microsoft.Extensions.Configuration.EnvironmentVariablesExtensions.AddEnvironmentVariables(new Microsoft.Extensions.Configuration.ConfigurationBuilder()).Build();
        var cacheOptions = new BuildFarm.Storage.Caching.CacheOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(settings.GetSection(BuildFarm.Storage.Caching.CacheOptions.SectionName), cacheOptions);
        return await CacheCommand.ExecuteAsync(
            args, server, Option("--token") ?? environmentToken, cacheOptions, Console.Out, Console.Error, TimeProvider.System, interrupt.Token);
    case "validate" when args.Length >= 2:
        return await ValidateCommand.ExecuteAsync(args.Skip(1).Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList(), args.Contains("--json"), interrupt.Token);
    default:
        await Console.Error.WriteLineAsync("""
            usage: buildfarm demo [--keep]                 run the sample pipeline on an embedded farm (--keep: stay up for the dashboard)
                   buildfarm run FILE [--server URL] [--keep]  run a buildspec (embedded, or on a coordinator's gRPC URL)
                   buildfarm validate FILE... [--json]     check definitions offline
                   buildfarm coordinator | worker          start a distributed farm's process
            """ + "\n" + ServerCommands.Usage + "\n" + CacheCommand.Usage + "\n" + AgentCommands.Usage + "\n" + DeployCommands.Usage + "\n" + ConfigCommand.Usage);
        return 2;
}
