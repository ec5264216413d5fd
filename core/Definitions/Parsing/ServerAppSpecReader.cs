namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads an EC2/on-premises appspec: version, os, files, file_exists_behavior, permissions, hooks.</summary>
internal static class ServerAppSpecReader
{
    private static readonly string[] Keys = ["version", "os", "files", "file_exists_behavior", "permissions", "hooks"];
    private static readonly string[] FileKeys = ["source", "destination"];
    private static readonly string[] Behaviors = ["DISALLOW", "OVERWRITE", "RETAIN"];
    private static readonly string[] OperatingSystems = ["linux", "windows"];

    public static AppSpec Read(ParseContext context, SpecMapping root)
    {
        var version = "";
        string? os = null;
        IReadOnlyList<AppSpecFile> files = [];
        var behavior = AppSpecFileExistsBehavior.Disallow;
        IReadOnlyList<AppSpecPermission> permissions = [];
        IReadOnlyDictionary<string, IReadOnlyList<AppSpecHook>> hooks = new Dictionary<string, IReadOnlyList<AppSpecHook>>();
        SpecNode? filesNode = null;
        SpecNode? permissionsNode = null;
        foreach (var (key, node) in root.Entries)
        {
            switch (key.Value)
            {
                case "version":
                    version = AppSpecParser.ReadVersion(context, node);
                    break;
                case "os":
                    os = ReadOs(context, node);
                    break;
                case "files":
                    filesNode = node;
                    break;
                case "file_exists_behavior":
                    behavior = ReadBehavior(context, node);
                    break;
                case "permissions":
                    permissionsNode = node;
                    break;
                case "hooks":
                    hooks = AppSpecHooksReader.Read(context, node);
                    break;
                case "Hooks":
                    context.Error(key, "Hooks", "'Hooks' (capitalised) belongs to ECS and Lambda appspecs, which also need 'Resources'; an EC2/on-premises appspec uses 'hooks'.");
                    break;
                default:
                    context.UnknownKey(key, "", Keys);
                    break;
            }
        }

        if (root.FindKey("version") is null)
        {
            context.Error(root, "version", "The appspec has no 'version'; start it with 'version: 0.0'.");
        }
        if (root.FindKey("os") is null)
        {
            context.Error(root, "os", "The appspec has no 'os'; add 'os: linux' (or 'os: windows').");
        }

        // Read after 'os', which decides what an absolute destination looks like.
        var windows = os == "windows";
        if (filesNode is not null)
        {
            files = ReadFiles(context, filesNode, windows);
        }
        if (permissionsNode is not null)
        {
            permissions = AppSpecPermissionsReader.Read(context, permissionsNode, windows);
        }
        return new AppSpec(version, AppSpecPlatform.Server, os ?? "", files, behavior, permissions, hooks);
    }

    /// <summary>An absolute path as the target OS reads it.</summary>
    internal static bool IsAbsolute(string path, bool windows) =>
        windows
            ? path.Length >= 3 && char.IsAsciiLetter(path[0]) && path[1] == ':' && path[2] is '\\' or '/'
            : path.StartsWith('/');

    private static string? ReadOs(ParseContext context, SpecNode node)
    {
        var os = context.String(node, "os");
        if (os is null)
        {
            if (node is SpecScalar)
            {
                context.Error(node, "os", "'os' is empty; use 'os: linux' or 'os: windows'.");
            }
            return null;
        }
        if (OperatingSystems.Contains(os))
        {
            return os;
        }
        var suggestion = KeySuggestion.Closest(os.ToLowerInvariant(), OperatingSystems);
        context.Error(node, "os", suggestion is null
            ? $"Unknown os '{os}'; use linux or windows."
            : $"Unknown os '{os}'; did you mean '{suggestion}'?");
        return null;
    }

    private static AppSpecFileExistsBehavior ReadBehavior(ParseContext context, SpecNode node)
    {
        switch (context.String(node, "file_exists_behavior"))
        {
            case "DISALLOW":
                return AppSpecFileExistsBehavior.Disallow;
            case "OVERWRITE":
                return AppSpecFileExistsBehavior.Overwrite;
            case "RETAIN":
                return AppSpecFileExistsBehavior.Retain;
            case { } other:
                context.Error(node, "file_exists_behavior", $"Unknown file_exists_behavior '{other}'; use one of: {string.Join(", ", Behaviors)}.");
                return AppSpecFileExistsBehavior.Disallow;
            default:
                return AppSpecFileExistsBehavior.Disallow;
        }
    }

    private static List<AppSpecFile> ReadFiles(ParseContext context, SpecNode node, bool windows)
    {
        var files = new List<AppSpecFile>();
        if (node is SpecScalar { IsNull: true })
        {
            return files;
        }
        if (node is not SpecSequence sequence)
        {
            context.Error(node, "files", $"'files' is a list of '- source: … destination: …' entries, found {node.Describe()}.");
            return files;
        }
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var field = $"files[{i}]";
            var mapping = context.Mapping(sequence.Items[i], field);
            if (mapping is null)
            {
                continue;
            }
            string? source = null;
            string? destination = null;
            foreach (var (key, value) in mapping.Entries)
            {
                switch (key.Value)
                {
                    case "source":
                        source = context.String(value, $"{field}.source");
                        break;
                    case "destination":
                        destination = context.String(value, $"{field}.destination");
                        if (destination is not null && !IsAbsolute(destination, windows))
                        {
                            context.Error(value, $"{field}.destination", $"The destination '{destination}' is not an absolute path; files are installed at an absolute location on the host.");
                        }
                        break;
                    default:
                        context.UnknownKey(key, field, FileKeys);
                        break;
                }
            }
            if (source is null)
            {
                context.Error(mapping, $"{field}.source", "A files entry needs 'source' (a file or directory in the revision, or '/' for all of it).");
            }
            else if (source.Split('/', '\\').Contains(".."))
            {
                context.Error(mapping.Entries.First(e => e.Key.Value == "source").Value, $"{field}.source", $"The source '{source}' leaves the revision ('..').");
            }
            if (destination is null)
            {
                context.Error(mapping, $"{field}.destination", "A files entry needs 'destination' (an absolute directory on the host).");
            }
            if (source is not null && destination is not null)
            {
                files.Add(new AppSpecFile(source, destination));
            }
        }
        return files;
    }
}
