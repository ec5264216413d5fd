namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads <c>env</c>.</summary>
internal static class EnvSectionReader
{
    private static readonly string[] Keys =
        ["shell", "variables", "parameter-store", "secrets-manager", "exported-variables", "git-credential-helper"];

    public static BuildSpecEnv Read(ParseContext context, SpecNode value)
    {
        var mapping = context.Mapping(value, "env");
        if (mapping is null || mapping.Entries.Count == 0)
        {
            return BuildSpecEnv.Empty;
        }

        var env = BuildSpecEnv.Empty;
        foreach (var (key, node) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "shell":
                    env = env with { Shell = context.String(node, "env.shell") };
                    break;
                case "variables":
                    env = env with { Variables = context.StringMap(node, "env.variables") };
                    break;
                case "parameter-store":
                    env = env with { ParameterStore = context.StringMap(node, "env.parameter-store") };
                    break;
                case "secrets-manager":
                    env = env with { SecretsManager = context.StringMap(node, "env.secrets-manager") };
                    break;
                case "exported-variables":
                    env = env with { ExportedVariables = context.StringList(node, "env.exported-variables") };
                    break;
                case "git-credential-helper":
                    env = env with { GitCredentialHelper = context.Bool(node, "env.git-credential-helper") };
                    break;
                default:
                    context.UnknownKey(key, "env", Keys);
                    break;
            }
        }
        return env;
    }
}
