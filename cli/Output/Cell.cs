using BuildFarm.Protos.V1;

namespace BuildFarm.Cli.Output;

/// <summary>A table cell: its text, and for a status column the status that colours it on a terminal.</summary>
/// <param name="Text">What the cell says, the same on a terminal and in a pipe.</param>
/// <param name="Status">The run status the text names, if it names one.</param>
public readonly record struct Cell(string Text, RunStatus? Status = null)
{
    public static implicit operator Cell(string text) => new(text);

    public static Cell Of(RunStatus status) => new(StatusWord.Of(status), status);
}
