using YamlDotNet.RepresentationModel;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>Parses and validates a CodeBuild buildspec. Placeholder: the full validator replaces this.</summary>
public static class BuildSpecParser
{
    public static BuildSpecParseResult Parse(string text, string fileName)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var version = ((YamlScalarNode)root.Children[new YamlScalarNode("version")]).Value ?? "0.2";
        var phases = new List<BuildPhase>();
        if (root.Children.TryGetValue(new YamlScalarNode("phases"), out var phasesNode))
        {
            foreach (var (key, value) in ((YamlMappingNode)phasesNode).Children)
            {
                var commands = ((YamlSequenceNode)((YamlMappingNode)value).Children[new YamlScalarNode("commands")])
                    .Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
                phases.Add(new BuildPhase(((YamlScalarNode)key).Value!, commands, [], null, null));
            }
        }
        var variables = new Dictionary<string, string>();
        if (root.Children.TryGetValue(new YamlScalarNode("env"), out var envNode)
            && ((YamlMappingNode)envNode).Children.TryGetValue(new YamlScalarNode("variables"), out var vars))
        {
            foreach (var (k, v) in ((YamlMappingNode)vars).Children)
            {
                variables[((YamlScalarNode)k).Value!] = ((YamlScalarNode)v).Value ?? "";
            }
        }
        _ = fileName;
        return new BuildSpecParseResult(
            new BuildSpec(version, BuildSpecEnv.Empty with { Variables = variables }, phases), []);
    }
}
