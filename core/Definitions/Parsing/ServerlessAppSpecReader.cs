namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Reads the ECS / Lambda appspec shape (version, Resources, Hooks). The farm cannot deploy these, but it
/// validates them so a team moving from CodeDeploy sees real mistakes first and the platform refusal last.
/// </summary>
internal static class ServerlessAppSpecReader
{
    private const string EcsService = "AWS::ECS::Service";
    private const string LambdaFunction = "AWS::Lambda::Function";

    private static readonly string[] Keys = ["version", "Resources", "Hooks"];
    private static readonly string[] ResourceKeys = ["Type", "Properties"];
    private static readonly string[] EcsEvents = ["BeforeInstall", "AfterInstall", "AfterAllowTestTraffic", "BeforeAllowTraffic", "AfterAllowTraffic"];
    private static readonly string[] LambdaEvents = ["BeforeAllowTraffic", "AfterAllowTraffic"];

    public static AppSpec Read(ParseContext context, SpecMapping root)
    {
        var version = "";
        var platform = AppSpecPlatform.Ecs;
        SpecNode? hooks = null;
        foreach (var (key, node) in root.Entries)
        {
            switch (key.Value)
            {
                case "version":
                    version = AppSpecParser.ReadVersion(context, node);
                    break;
                case "Resources":
                    platform = ReadResources(context, node);
                    break;
                case "Hooks":
                    hooks = node;
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
        if (hooks is not null)
        {
            ReadHooks(context, hooks, platform == AppSpecPlatform.Lambda ? LambdaEvents : EcsEvents);
        }
        return new AppSpec(version, platform, "", [], AppSpecFileExistsBehavior.Disallow, [], new Dictionary<string, IReadOnlyList<AppSpecHook>>());
    }

    private static AppSpecPlatform ReadResources(ParseContext context, SpecNode node)
    {
        if (node is not SpecSequence { Items.Count: > 0 } sequence)
        {
            context.Error(node, "Resources", "'Resources' is a list with one target: '- NAME: { Type: AWS::ECS::Service | AWS::Lambda::Function, Properties: … }'.");
            return AppSpecPlatform.Ecs;
        }
        var platform = AppSpecPlatform.Ecs;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var field = $"Resources[{i}]";
            if (context.Mapping(sequence.Items[i], field) is not { Entries.Count: 1 } named
                || context.Mapping(named.Entries[0].Value, $"{field}.{named.Entries[0].Key.Value}") is not { } resource)
            {
                if (sequence.Items[i] is SpecMapping { Entries.Count: not 1 })
                {
                    context.Error(sequence.Items[i], field, "Each resource is one name mapped to its Type and Properties.");
                }
                continue;
            }
            var resourceField = $"{field}.{named.Entries[0].Key.Value}";
            string? type = null;
            SpecMapping? properties = null;
            foreach (var (key, value) in resource.Entries)
            {
                switch (key.Value)
                {
                    case "Type":
                        type = context.String(value, $"{resourceField}.Type");
                        if (type is not (null or EcsService or LambdaFunction))
                        {
                            context.Error(value, $"{resourceField}.Type", $"Unknown resource type '{type}'; use {EcsService} or {LambdaFunction}.");
                        }
                        break;
                    case "Properties":
                        properties = context.Mapping(value, $"{resourceField}.Properties");
                        break;
                    default:
                        context.UnknownKey(key, resourceField, ResourceKeys);
                        break;
                }
            }
            if (type is null)
            {
                context.Error(resource, $"{resourceField}.Type", $"The resource needs 'Type' ({EcsService} or {LambdaFunction}).");
            }
            if (properties is null)
            {
                context.Error(resource, $"{resourceField}.Properties", "The resource needs 'Properties'.");
            }
            else if (type == EcsService && properties.FindKey("TaskDefinition") is null)
            {
                context.Error(properties, $"{resourceField}.Properties.TaskDefinition", "An ECS target needs 'TaskDefinition'.");
            }
            else if (type == LambdaFunction)
            {
                platform = AppSpecPlatform.Lambda;
                foreach (var required in new[] { "Name", "Alias", "CurrentVersion", "TargetVersion" }.Where(r => properties.FindKey(r) is null))
                {
                    context.Error(properties, $"{resourceField}.Properties.{required}", $"A Lambda target needs '{required}'.");
                }
            }
        }
        return platform;
    }

    private static void ReadHooks(ParseContext context, SpecNode node, string[] events)
    {
        if (node is not SpecSequence sequence)
        {
            context.Error(node, "Hooks", "'Hooks' is a list of '- EVENT: \"function name\"' entries.");
            return;
        }
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var field = $"Hooks[{i}]";
            if (context.Mapping(sequence.Items[i], field) is not { } mapping)
            {
                continue;
            }
            foreach (var (key, value) in mapping.Entries)
            {
                if (!events.Contains(key.Value))
                {
                    context.UnknownKey(key, field, events);
                }
                else if (context.String(value, $"{field}.{key.Value}") is null && value is SpecScalar)
                {
                    context.Error(value, $"{field}.{key.Value}", "A hook names the Lambda function to run.");
                }
            }
        }
    }
}
