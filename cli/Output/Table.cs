using Spectre.Console;
using Spectre.Console.Rendering;

namespace BuildFarm.Cli.Output;

/// <summary>
/// A list for a person. On a terminal a Spectre table with coloured statuses; elsewhere left-aligned columns
/// padded to the widest cell, as `docker ps` and `kubectl get` print them, so `grep`/`awk` keep working.
/// </summary>
public static class Table
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<Cell>> rows)
    {
        if (Terminal.IsInteractive(output))
        {
            Render(Terminal.For(output), headers, rows);
            return;
        }

        var widths = headers.Select((h, i) => rows.Select(r => r[i].Text.Length).Append(h.Length).Max()).ToArray();
        await output.WriteLineAsync(Line(headers, widths));
        foreach (var row in rows)
        {
            await output.WriteLineAsync(Line(row.Select(c => c.Text).ToList(), widths));
        }
    }

    /// <summary>The terminal form, on any Spectre console (tests pass one that records).</summary>
    public static void Render(IAnsiConsole console, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<Cell>> rows)
    {
        var table = new Spectre.Console.Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }

        foreach (var row in rows)
        {
            table.AddRow(row.Select(c => (IRenderable)new Text(c.Text, c.Status is { } status ? new Style(StatusColour.Of(status)) : Style.Plain)).ToArray());
        }

        console.Write(table);
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Count - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
