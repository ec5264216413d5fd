namespace BuildFarm.Worker.Processes;

/// <summary>
/// The script for one command of a buildspec 0.1 phase: CodeBuild 0.1 runs every command in a
/// separate shell instance, so nothing (cd, export, shell variables) carries to the next command.
/// </summary>
/// <remarks>
/// <c>eval</c>, as in <see cref="PhaseScript"/>, so a multi-line command is one unit and a syntax
/// error in it is its own status 2; the shell exits with the command's status.
/// </remarks>
public static class SingleCommandScript
{
    public static string Build(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return "# BuildFarm buildspec 0.1 command (worker/Processes/SingleCommandScript.cs).\n"
            + "builtin eval " + PhaseScript.Quote(command, nameof(command)) + "\n";
    }
}
