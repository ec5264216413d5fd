using Spectre.Console;

namespace BuildFarm.Cli.Output;

/// <summary>
/// Writes lines given as Spectre markup: coloured on a terminal, the same words without markup elsewhere,
/// so captured output reads exactly as it did before colours. Text from the server goes in through <see cref="Escape"/>.
/// </summary>
public sealed class MarkupWriter(TextWriter output)
{
    private readonly IAnsiConsole? _console = Terminal.IsInteractive(output) ? Terminal.For(output) : null;

    public static string Escape(string text) => Markup.Escape(text);

    public Task WriteLineAsync(string markup = "")
    {
        if (_console is null)
        {
            return output.WriteLineAsync(Markup.Remove(markup));
        }

        _console.MarkupLine(markup);
        return Task.CompletedTask;
    }
}
