namespace BuildFarm.Core.Definitions;

public enum DefinitionSeverity
{
    Error,
    Warning,
}
