namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Reads <c>permissions</c>: object, pattern, except, owner, group, mode, acls, context, type.</summary>
internal static class AppSpecPermissionsReader
{
    private static readonly string[] Keys = ["object", "pattern", "except", "owner", "group", "mode", "acls", "context", "type"];

    public static List<AppSpecPermission> Read(ParseContext context, SpecNode node, bool windows)
    {
        var permissions = new List<AppSpecPermission>();
        if (node is SpecScalar { IsNull: true })
        {
            return permissions;
        }
        if (node is not SpecSequence sequence)
        {
            context.Error(node, "permissions", $"'permissions' is a list of '- object: …' entries, found {node.Describe()}.");
            return permissions;
        }
        if (windows && sequence.Items.Count > 0)
        {
            context.Error(node, "permissions", "'permissions' applies to Linux instances only; remove it from a Windows appspec.");
            return permissions;
        }
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            if (ReadOne(context, sequence.Items[i], $"permissions[{i}]") is { } permission)
            {
                permissions.Add(permission);
            }
        }
        return permissions;
    }

    private static AppSpecPermission? ReadOne(ParseContext context, SpecNode node, string field)
    {
        var mapping = context.Mapping(node, field);
        if (mapping is null)
        {
            return null;
        }
        string? target = null;
        var pattern = "**";
        IReadOnlyList<string> except = [];
        string? owner = null;
        string? group = null;
        string? mode = null;
        var types = AppSpecPermissionTypes.None;
        foreach (var (key, value) in mapping.Entries)
        {
            var keyField = $"{field}.{key.Value}";
            switch (key.Value)
            {
                case "object":
                    target = context.String(value, keyField);
                    if (target is not null && !target.StartsWith('/'))
                    {
                        context.Error(value, keyField, $"The object '{target}' is not an absolute path on the host.");
                    }
                    break;
                case "pattern":
                    pattern = context.String(value, keyField) ?? "**";
                    break;
                case "except":
                    except = context.StringList(value, keyField);
                    break;
                case "owner":
                    owner = context.String(value, keyField);
                    break;
                case "group":
                    group = context.String(value, keyField);
                    break;
                case "mode":
                    mode = context.String(value, keyField);
                    if (mode is not null && !IsOctalMode(mode))
                    {
                        context.Error(value, keyField, $"'mode' is three or four octal digits (644, 0755, 4750), found '{mode}'.");
                    }
                    break;
                case "acls" or "context":
                    context.Warning(key, keyField, $"'{key.Value}' (ACLs and SELinux contexts) is accepted but not applied by the farm's agent.");
                    break;
                case "type":
                    types = ReadTypes(context, value, keyField);
                    break;
                default:
                    context.UnknownKey(key, field, Keys);
                    break;
            }
        }
        if (target is null)
        {
            context.Error(mapping, $"{field}.object", "A permissions entry needs 'object': the file or directory it applies to.");
            return null;
        }
        return new AppSpecPermission(target, pattern, except, owner, group, mode,
            types == AppSpecPermissionTypes.None ? AppSpecPermissionTypes.Both : types);
    }

    private static bool IsOctalMode(string mode) =>
        mode.Length is 3 or 4 && mode.All(c => c is >= '0' and <= '7');

    private static AppSpecPermissionTypes ReadTypes(ParseContext context, SpecNode node, string field)
    {
        var types = AppSpecPermissionTypes.None;
        var names = context.StringList(node, field);
        for (var i = 0; i < names.Count; i++)
        {
            switch (names[i])
            {
                case "file":
                    types |= AppSpecPermissionTypes.File;
                    break;
                case "directory":
                    types |= AppSpecPermissionTypes.Directory;
                    break;
                default:
                    var item = node is SpecSequence sequence && i < sequence.Items.Count ? sequence.Items[i] : node;
                    context.Error(item, $"{field}[{i}]", $"Unknown type '{names[i]}'; use file or directory.");
                    break;
            }
        }
        return types;
    }
}
