using Spectre.Console;

namespace BuildFarm.Cli.Output;

/// <summary>
/// Whether human output goes to a person's terminal, and the Spectre console that draws on it. Colours,
/// boxed tables and live lines only ever go to a terminal: piped or captured output (scripts, tests)
/// keeps the plain columns it always had, with no escape codes.
/// </summary>
public static class Terminal
{
    /// <summary>
    /// True when <paramref name="writer"/> is this process's stdout and stdout is not redirected. Spectre's own
    /// detection trusts $TERM, which says nothing about a pipe, so the redirection is checked here.
    /// </summary>
    public static bool IsInteractive(TextWriter writer) => ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>A Spectre console over <paramref name="writer"/> that detects colour support (and honours NO_COLOR).</summary>
    public static IAnsiConsole For(TextWriter writer) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Detect,
        Out = new AnsiConsoleOutput(writer),
    });
}
