using BuildFarm.Core.Notifications;
using BuildFarm.Core.Triggers;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>A pipeline file's <c>triggers</c> and <c>notifications</c>, with what was wrong in them.</summary>
public sealed record PipelineEdges(
    PipelineTriggers? Triggers,
    IReadOnlyList<NotificationRule> Notifications,
    IReadOnlyList<DefinitionDiagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DefinitionSeverity.Error);

    public void ThrowIfInvalid()
    {
        if (HasErrors)
        {
            throw new DefinitionInvalidException(Diagnostics);
        }
    }
}
