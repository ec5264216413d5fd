namespace BuildFarm.Core.Definitions.Parsing;

internal sealed class SpecSequence(int line, int column) : SpecNode(line, column)
{
    private int _size = 1;

    public List<SpecNode> Items { get; } = [];

    public override int Size => _size;

    public void Add(SpecNode item)
    {
        Items.Add(item);
        _size += item.Size;
    }

    public override string Describe() => "a list";
}
