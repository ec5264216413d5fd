using System.Collections.Concurrent;
using BuildFarm.Core.Definitions.Parsing;

namespace BuildFarm.Coordinator.Pipelines;

/// <summary>
/// Parsed <c>triggers</c> and <c>notifications</c> per pipeline version. Versions are immutable, so an entry
/// never goes stale; every webhook delivery and every run event would otherwise parse the YAML again.
/// </summary>
public sealed class PipelineEdgesCache
{
    // Far more versions than a farm keeps hot; past it the cache starts over rather than growing.
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<Guid, PipelineEdges> _entries = new();

    public PipelineEdges? TryGet(Guid versionId) => _entries.GetValueOrDefault(versionId);

    public PipelineEdges Get(Guid versionId, string definition, string fileName)
    {
        if (_entries.TryGetValue(versionId, out var edges))
        {
            return edges;
        }
        edges = PipelineEdgesParser.Parse(definition, fileName);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        _entries[versionId] = edges;
        return edges;
    }
}
