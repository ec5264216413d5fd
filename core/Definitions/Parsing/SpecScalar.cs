using YamlDotNet.Core;

namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>A scalar kept as its source text: <c>3.11</c> stays "3.11" and <c>yes</c> stays "yes".</summary>
internal sealed class SpecScalar(int line, int column, string value, ScalarStyle style) : SpecNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>
    /// A plain empty, <c>~</c> or <c>null</c> value: YAML's null, which a buildspec treats as "not given".
    /// Quoted <c>"null"</c> is a real string.
    /// </summary>
    public bool IsNull { get; } = style == ScalarStyle.Plain && value is "" or "~" or "null" or "Null" or "NULL";

    public override int Size => 1;

    public override string Describe() => IsNull ? "nothing" : "a string";
}
