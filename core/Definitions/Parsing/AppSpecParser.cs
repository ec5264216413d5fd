namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Parses and validates a CodeDeploy appspec (version 0.0) with the same YAML reader as buildspecs, so
/// every problem comes back as file:line:column. EC2/on-premises appspecs become a deployable
/// <see cref="AppSpec"/>; ECS and Lambda appspecs are validated and returned with their platform, so the
/// deploy-time refusal can say why. Never throws for bad input.
/// </summary>
public static class AppSpecParser
{
    /// <summary>Far above any real appspec; bounds what a hostile file can cost.</summary>
    public const int MaxLength = 1024 * 1024;

    public static AppSpecParseResult Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var context = new ParseContext(fileName);
        var spec = Read(text, context);
        return new AppSpecParseResult(context.HasErrors ? null : spec, DefinitionText.InFileOrder(context.Diagnostics));
    }

    private static AppSpec? Read(string text, ParseContext context)
    {
        if (!DefinitionText.TryReadRoot(text, context, MaxLength, "an appspec", out var root))
        {
            return null;
        }

        switch (root)
        {
            case null or SpecScalar { IsNull: true }:
                context.Error(1, 1, "", "The file is empty; an appspec needs at least 'version: 0.0' and 'os: linux'.");
                return null;
            case SpecMapping mapping when mapping.FindKey("Resources") is not null:
                return ServerlessAppSpecReader.Read(context, mapping);
            case SpecMapping mapping:
                return ServerAppSpecReader.Read(context, mapping);
            default:
                context.Error(root, "", $"An appspec is a mapping of keys such as 'version', 'os' and 'hooks', but this file holds {root.Describe()}.");
                return null;
        }
    }

    /// <summary>Checks 'version' the way both appspec shapes need it: present, and 0.0.</summary>
    internal static string ReadVersion(ParseContext context, SpecNode node)
    {
        var version = context.String(node, "version");
        if (version == "0.0")
        {
            return version;
        }
        if (node is SpecScalar)
        {
            // Compared as written, since every scalar is kept as text: 0 or 0.00 is not CodeDeploy's version.
            context.Error(node, "version", version is null
                ? "'version' is empty; use 'version: 0.0'."
                : $"Unsupported appspec version '{version}'; CodeDeploy's only version is 0.0.");
        }
        return "";
    }
}
