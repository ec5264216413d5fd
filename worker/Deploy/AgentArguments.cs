namespace BuildFarm.Worker.Deploy;

/// <summary>
/// `agent --group NAME --root DIR --coordinator URL [--name N] [--token T] [--rabbitmq URI] [--tag K=V]...`: the
/// friendly options of `buildfarm agent`, turned into the configuration keys the worker host reads (Worker:Role=Agent, …).
/// </summary>
public static class AgentArguments
{
    private static readonly Dictionary<string, string> Keys = new(StringComparer.Ordinal)
    {
        ["--group"] = "Agent:Group",
        ["--root"] = "Agent:Root",
        ["--name"] = "Agent:InstanceName",
        ["--state-dir"] = "Agent:StateDirectory",
        ["--coordinator"] = "Worker:CoordinatorUrl",
        ["--token"] = "Worker:Token",
        ["--rabbitmq"] = "Messaging:RabbitMqUri",
    };

    /// <summary>The host's arguments: unchanged unless the first one is <c>agent</c>.</summary>
    /// <exception cref="ArgumentException">An option without its value, or one the agent does not know.</exception>
    public static string[] Translate(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0 || args[0] != "agent")
        {
            return args;
        }
        var translated = new List<string> { "--Worker:Role=Agent" };
        for (var i = 1; i < args.Length; i++)
        {
            var option = args[i];
            if (option.StartsWith("--", StringComparison.Ordinal) && option.Contains(':', StringComparison.Ordinal))
            {
                // Already a configuration key (--Agent:HookKillGraceSeconds=5): passed through.
                translated.Add(option);
                continue;
            }
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{option} needs a value.");
            }
            var value = args[++i];
            if (option == "--tag")
            {
                var equals = value.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new ArgumentException($"--tag {value}: use KEY=VALUE.");
                }
                translated.Add($"--Agent:Tags:{value[..equals]}={value[(equals + 1)..]}");
            }
            else if (Keys.TryGetValue(option, out var key))
            {
                translated.Add($"--{key}={value}");
            }
            else
            {
                throw new ArgumentException($"Unknown agent option {option}; use --group, --root, --coordinator, --name, --token, --rabbitmq, --state-dir or --tag K=V.");
            }
        }
        return [.. translated];
    }
}
