namespace BuildFarm.Cli.Output;

/// <summary>Left-aligned columns padded to the widest cell, as `docker ps` and `kubectl get` print them.</summary>
public static class Table
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        await output.WriteLineAsync(Line(headers, widths));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Line(row, widths));
        }
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
