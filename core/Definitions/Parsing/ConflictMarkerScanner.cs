namespace BuildFarm.Core.Definitions.Parsing;

/// <summary>
/// Finds unresolved git merge-conflict markers. They are checked before YAML because a marker usually
/// still parses (<c>=======</c> is a plain scalar), and then the file would silently mean one side, or both.
/// </summary>
internal static class ConflictMarkerScanner
{
    private const int MarkerLength = 7;

    /// <summary>Reports every marker line and returns whether there was one.</summary>
    public static bool Report(string text, ParseContext context)
    {
        var found = false;
        var line = 1;
        for (var start = 0; start < text.Length; line++)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0)
            {
                end = text.Length;
            }
            var content = text.AsSpan(start, end - start).TrimEnd('\r');
            if (IsMarker(content))
            {
                found = true;
                context.Error(line, 1, "",
                    $"Unresolved merge-conflict marker '{content[..MarkerLength]}'; resolve the conflict and remove the markers.");
            }
            start = end + 1;
        }
        return found;
    }

    // Git writes exactly seven marker characters, then a space and a label or the end of the line;
    // "|||||||" opens the base section of diff3-style conflicts.
    private static bool IsMarker(ReadOnlySpan<char> line)
    {
        if (line.Length < MarkerLength)
        {
            return false;
        }
        var marker = line[0];
        if (marker is not ('<' or '=' or '>' or '|'))
        {
            return false;
        }
        for (var i = 1; i < MarkerLength; i++)
        {
            if (line[i] != marker)
            {
                return false;
            }
        }
        return line.Length == MarkerLength || (line[MarkerLength] == ' ' && marker != '=');
    }
}
