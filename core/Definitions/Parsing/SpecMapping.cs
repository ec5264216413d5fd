namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>A mapping whose keys are scalars, in file order, without duplicates (the builder reports those).</summary>
internal sealed class SpecMapping(int line, int column) : SpecNode(line, column)
{
    private int _size = 1;

    public List<KeyValuePair<SpecScalar, SpecNode>> Entries { get; } = [];

    public override int Size => _size;

    public void Add(SpecScalar key, SpecNode value)
    {
        Entries.Add(new(key, value));
        _size += 1 + value.Size;
    }

    public SpecScalar? FindKey(string key)
    {
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key)
            {
                return entry.Key;
            }
        }
        return null;
    }

    public override string Describe() => "a mapping";
}
