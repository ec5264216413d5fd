namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// A YAML node with its 1-based source position. Our own tree rather than YamlDotNet's representation model
/// because that one recurses per nesting level (a hostile file could overflow the stack) and cannot bound
/// alias expansion.
/// </summary>
internal abstract class SpecNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;

    /// <summary>Nodes in this subtree, itself included; what an alias to it costs to walk.</summary>
    public abstract int Size { get; }

    /// <summary>"a string", "a list", "a mapping": for messages that say what was found instead.</summary>
    public abstract string Describe();
}
