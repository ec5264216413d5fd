namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Collects diagnostics for one file and reads typed values out of <see cref="SpecNode"/>s, reporting a
/// wrong shape (a list where a string belongs, …) instead of throwing, so one pass finds every problem.
/// </summary>
internal sealed class ParseContext(string fileName)
{
    private static readonly IReadOnlyDictionary<string, string> NoEntries = new Dictionary<string, string>();

    public List<DefinitionDiagnostic> Diagnostics { get; } = [];

    /// <summary>The file the diagnostics name.</summary>
    public string FileName { get; } = fileName;

    public bool HasErrors { get; private set; }

    /// <summary>Errors so far: a reader compares it before and after a section to tell whether that section had any.</summary>
    public int ErrorCount { get; private set; }

    public void Error(int line, int column, string field, string message)
    {
        HasErrors = true;
        ErrorCount++;
        Diagnostics.Add(new DefinitionDiagnostic(FileName, line, column, field, DefinitionSeverity.Error, message));
    }

    public void Error(SpecNode at, string field, string message) => Error(at.Line, at.Column, field, message);

    public void Warning(SpecNode at, string field, string message) =>
        Diagnostics.Add(new DefinitionDiagnostic(FileName, at.Line, at.Column, field, DefinitionSeverity.Warning, message));

    /// <summary>A key the section does not have: an error, or a warning where CodeBuild would only ignore it.</summary>
    public void UnknownKey(SpecScalar key, string section, string[] known, DefinitionSeverity severity = DefinitionSeverity.Error)
    {
        var field = section.Length == 0 ? key.Value : $"{section}.{key.Value}";
        var where = section.Length == 0 ? "at the top level" : $"in '{section}'";
        var message = key.Value == "<<"
            ? $"YAML merge keys ('<<') are not supported {where}; repeat the entries or use an alias for the whole value."
            : KeySuggestion.Closest(key.Value, known) is { } suggestion
                ? $"Unknown key '{key.Value}' {where}; did you mean '{suggestion}'?"
                : $"Unknown key '{key.Value}' {where}; expected one of: {string.Join(", ", known)}.";
        if (severity == DefinitionSeverity.Error)
        {
            Error(key, field, message);
        }
        else
        {
            Warning(key, field, message);
        }
    }

    /// <summary>The scalar's source text, or null when absent (YAML null) or not a string (reported).</summary>
    public string? String(SpecNode node, string field)
    {
        if (node is SpecScalar scalar)
        {
            return scalar.IsNull ? null : scalar.Value;
        }
        Error(node, field, $"Expected a string, found {node.Describe()}.{QuoteHint(node)}");
        return null;
    }

    /// <summary>YAML 1.1 booleans as CodeBuild reads them (<c>yes</c>/<c>no</c>, <c>true</c>/<c>false</c>, <c>on</c>/<c>off</c>).</summary>
    public bool Bool(SpecNode node, string field)
    {
        if (node is not SpecScalar scalar)
        {
            Error(node, field, $"Expected yes or no, found {node.Describe()}.");
            return false;
        }
        switch (scalar.Value)
        {
            case "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON" or "y" or "Y":
                return true;
            case "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF" or "n" or "N":
                return false;
            default:
                if (!scalar.IsNull)
                {
                    Error(node, field, $"Expected yes or no, found '{scalar.Value}'.");
                }
                return false;
        }
    }

    /// <summary>A list of strings; YAML null is an empty list, anything but a list is reported.</summary>
    public IReadOnlyList<string> StringList(SpecNode node, string field)
    {
        if (node is SpecSequence sequence)
        {
            var values = new List<string>(sequence.Items.Count);
            for (var i = 0; i < sequence.Items.Count; i++)
            {
                var item = sequence.Items[i];
                if (item is SpecScalar { IsNull: false } scalar)
                {
                    values.Add(scalar.Value);
                }
                else
                {
                    Error(item, $"{field}[{i}]", $"Expected a string, found {item.Describe()}.{QuoteHint(item)}");
                }
            }
            return values;
        }
        if (node is SpecScalar { IsNull: true })
        {
            return [];
        }
        Error(node, field, node is SpecScalar
            ? "Expected a list, found a string; write each value as a list item ('- value')."
            : $"Expected a list, found {node.Describe()}.");
        return [];
    }

    /// <summary>A string-to-string mapping; values keep their source text, so <c>3.11</c> and <c>yes</c> stay text.</summary>
    public IReadOnlyDictionary<string, string> StringMap(SpecNode node, string field)
    {
        var mapping = Mapping(node, field);
        if (mapping is null || mapping.Entries.Count == 0)
        {
            return NoEntries;
        }
        var values = new Dictionary<string, string>(mapping.Entries.Count, StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            if (value is SpecScalar scalar)
            {
                values[key.Value] = scalar.Value;
            }
            else
            {
                Error(value, $"{field}.{key.Value}", $"Expected a string, found {value.Describe()}.");
            }
        }
        return values;
    }

    /// <summary>A mapping; YAML null reads as an empty one so callers report what it lacks. Other shapes are reported.</summary>
    public SpecMapping? Mapping(SpecNode node, string field)
    {
        switch (node)
        {
            case SpecMapping mapping:
                return mapping;
            case SpecScalar { IsNull: true }:
                return new SpecMapping(node.Line, node.Column);
            default:
                Error(node, field, $"Expected a mapping of keys, found {node.Describe()}.");
                return null;
        }
    }

    /// <summary>YAML null, an empty list or an empty mapping: the key is there but says nothing.</summary>
    public static bool IsEmpty(SpecNode node) => node switch
    {
        SpecScalar scalar => scalar.IsNull,
        SpecSequence sequence => sequence.Items.Count == 0,
        SpecMapping mapping => mapping.Entries.Count == 0,
        _ => true,
    };

    // The usual cause of a mapping inside a command list: an unquoted "key: value" in a shell command.
    private static string QuoteHint(SpecNode node) =>
        node is SpecMapping { Entries.Count: 1 } ? " Quote the value if it contains ': '." : "";
}
