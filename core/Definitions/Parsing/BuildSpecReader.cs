namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads the top-level mapping of a buildspec into a <see cref="BuildSpec"/>.</summary>
internal static class BuildSpecReader
{
    private static readonly string[] Keys =
        ["version", "run-as", "env", "proxy", "batch", "phases", "reports", "artifacts", "cache"];

    private static readonly string[] ProxyKeys = ["upload-artifacts", "logs"];

    public static BuildSpec Read(ParseContext context, SpecMapping root, bool readBatch = true)
    {
        string? version = null;
        var sawVersion = false;
        var sawPhases = false;
        var env = BuildSpecEnv.Empty;
        IReadOnlyList<BuildPhase> phases = [];
        var spec = new BuildSpec("", env, phases);
        foreach (var (key, node) in root.Entries)
        {
            switch (key.Value)
            {
                case "version":
                    sawVersion = true;
                    version = ReadVersion(context, node);
                    break;
                case "run-as":
                    spec = spec with { RunAs = context.String(node, "run-as") };
                    break;
                case "env":
                    env = EnvSectionReader.Read(context, node);
                    break;
                case "proxy":
                    ReadProxy(context, node);
                    break;
                case "batch":
                    spec = readBatch
                        ? spec with { Batch = BatchSectionReader.Read(context, node) }
                        : spec with { BatchIgnored = true };
                    break;
                case "phases":
                    sawPhases = true;
                    phases = PhasesSectionReader.Read(context, key, node);
                    break;
                case "reports":
                    spec = spec with { Reports = ReportsSectionReader.Read(context, node) };
                    break;
                case "artifacts":
                    spec = spec with { Artifacts = ArtifactsSectionReader.Read(context, key, node) };
                    break;
                case "cache":
                    spec = spec with { Cache = CacheSectionReader.Read(context, key, node) };
                    break;
                default:
                    // Only a warning: a stray top-level key cannot change what a known section means, and a
                    // key newer CodeBuild adds should not stop an otherwise good build here.
                    context.UnknownKey(key, "", Keys, DefinitionSeverity.Warning);
                    break;
            }
        }

        if (!sawVersion)
        {
            context.Error(root, "version", "The buildspec has no 'version'; start it with 'version: 0.2'.");
        }
        if (!sawPhases)
        {
            context.Error(root, "phases", "The buildspec has no 'phases'; add at least 'build' with its commands.");
        }
        return spec with { Version = version ?? "", Env = env, Phases = phases };
    }

    private static string? ReadVersion(ParseContext context, SpecNode node)
    {
        var version = context.String(node, "version");
        switch (version)
        {
            case null when node is SpecScalar:
                context.Error(node, "version", "'version' is empty; use 'version: 0.2'.");
                return null;
            case null:
                return null;
            case var supported when BuildSpec.SupportedVersions.Contains(supported):
                return version;
            default:
                // Compared as written: 0.20 is not 0.2, because every scalar here is text, never a float.
                context.Error(node, "version", $"Unsupported buildspec version '{version}'; use 0.2 (or 0.1).");
                return null;
        }
    }

    private static void ReadProxy(ParseContext context, SpecNode node)
    {
        var mapping = context.Mapping(node, "proxy");
        if (mapping is null)
        {
            return;
        }
        foreach (var (key, value) in mapping.Entries)
        {
            switch (key.Value)
            {
                case "upload-artifacts":
                    context.Bool(value, "proxy.upload-artifacts");
                    break;
                case "logs":
                    context.Bool(value, "proxy.logs");
                    break;
                default:
                    context.UnknownKey(key, "proxy", ProxyKeys);
                    break;
            }
        }
    }
}
