using BuildFarm.Protos.V1;
using Spectre.Console;

namespace BuildFarm.Cli.Output;

/// <summary>The colour of a run or job status on a terminal: green done, red failed, yellow in flight, grey stopped.</summary>
public static class StatusColour
{
    public static Color Of(RunStatus status) => status switch
    {
        RunStatus.Succeeded => Color.Green,
        RunStatus.Failed => Color.Red,
        RunStatus.Queued or RunStatus.Running or RunStatus.Waiting or RunStatus.Cancelling => Color.Yellow,
        RunStatus.Cancelled or RunStatus.Superseded => Color.Grey,
        _ => Color.Default,
    };

    /// <summary>The status word in its colour, as Spectre markup.</summary>
    public static string Markup(RunStatus status) => $"[{Of(status).ToMarkup()}]{StatusWord.Of(status)}[/]";
}
