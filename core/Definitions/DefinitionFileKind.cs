namespace BuildFarm.Core.Definitions;

/// <summary>Which kind of definition a file holds.</summary>
public enum DefinitionFileKind
{
    BuildSpec,
    AppSpec,
    Pipeline,
}
